"""The window's actions and menus: a catalogue of what the person can do, with its shortcuts.

    actions = build_actions(window, window, session, files, calls)   # -> Actions
    build_menus(window.menuBar(), window, actions, workbench, presentation.action, reading.menu)

`build_actions` adds each action to the window it is given (so its shortcut works while the
menu bar is hidden) and returns them in one `Actions` object; it writes nothing onto the window.
What the actions call on the window itself is the small `WindowCommands` protocol.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QMenuBar, QWidget

from app.views.theme import THEME_LABELS, THEME_MODES

if TYPE_CHECKING:
    from app.views.calls import CallController
    from app.views.files import RequestFiles
    from app.views.session import RequestSession
    from app.views.workbench import Workbench

Keys = Sequence[QKeySequence | QKeySequence.StandardKey | str]


class WindowCommands(Protocol):
    """What the window's own actions call on it."""

    def open_org(self) -> None: ...
    def open_okta_org(self) -> None: ...
    def close(self) -> bool: ...
    def zoom_in(self) -> None: ...
    def zoom_out(self) -> None: ...
    def reset_zoom(self) -> None: ...
    def set_theme(self, mode: str, *, store: bool = True) -> None: ...
    def reset_to_defaults(self, *, confirm: bool = True) -> None: ...
    def show_guide(self) -> None: ...
    def show_about(self) -> None: ...


@dataclass
class Actions:
    """Every action of the window's menus (the dock toggles and the workbench's are its own)."""

    open_action: QAction
    open_org_action: QAction
    okta_org_action: QAction
    save_request_action: QAction
    save_response_action: QAction
    quit_action: QAction
    edit_commands: list[QAction]
    format_action: QAction
    generate_action: QAction
    edit_action: QAction
    save_edits_action: QAction
    reset_action: QAction
    view_action: QAction
    cancel_action: QAction
    zoom_in_action: QAction
    zoom_out_action: QAction
    zoom_reset_action: QAction
    theme_group: QActionGroup
    theme_actions: dict[str, QAction]
    auto_rerun_action: QAction
    reset_defaults_action: QAction
    guide_action: QAction
    about_action: QAction
    #: View > Okta's Undocumented Rules (filled by `reading.build_reading_menu`).
    reading_actions: dict[str, QAction] = field(default_factory=dict)


def edit_command(name: str) -> None:
    """Undo, Cut, Paste, ... for whichever widget has the focus."""
    method = getattr(QApplication.focusWidget(), name, None)
    if callable(method):
        method()


def _action(
    owner: QWidget,
    text: str,
    slot: Callable[..., Any],
    keys: Keys = (),
    tip: str = "",
    name: str = "",
) -> QAction:
    # The text as a keyword: QAction(text, parent) makes PySide load QIcon (its other
    # overload) while the window opens, for actions that have no icon.
    action = QAction(owner, text=text)
    sequences: list[QKeySequence] = []
    for key in keys:
        sequence = key if isinstance(key, QKeySequence) else QKeySequence(key)
        # A standard key may equal one given explicitly: twice would be ambiguous.
        if not sequence.isEmpty() and sequence not in sequences:
            sequences.append(sequence)
    if sequences:
        action.setShortcuts(sequences)
    if tip:
        action.setStatusTip(tip)
    if name:
        action.setObjectName(name)
    action.triggered.connect(slot)
    owner.addAction(action)  # shortcuts work even while the menu bar is hidden
    return action


def build_actions(
    owner: QWidget,
    window: WindowCommands,
    session: RequestSession,
    files: RequestFiles,
    calls: CallController,
) -> Actions:
    """The window's actions, each with its shortcuts, added to `owner`."""
    SK = QKeySequence.StandardKey
    add = partial(_action, owner)
    cancel_action = add(
        "&Cancel Call", calls.cancel_call, ["Esc"], "Stop waiting for the hook", "cancel"
    )
    cancel_action.setEnabled(False)
    auto_rerun_action = add(
        "&Re-run Bundled Hook on Each Change",
        lambda _=False: None,
        tip="Bundled targets answer at once after every change (never a remote URL)",
        name="autoRerun",
    )
    auto_rerun_action.setCheckable(True)
    auto_rerun_action.setChecked(True)
    theme_group, theme_actions = _build_theme_actions(owner, window)
    return Actions(
        open_action=add(
            "&Open Request…", files.open_request, [SK.Open], "Open a request JSON file", "open"
        ),
        open_org_action=add(
            "Open Or&g…", window.open_org, ["Ctrl+Shift+O"], "Read your own org's users", "openOrg"
        ),
        okta_org_action=add(
            "Connect to Okta O&rg…",
            window.open_okta_org,
            tip="A live org's users, registration hooks, Preview through Okta and System Log",
            name="oktaOrg",
        ),
        save_request_action=add(
            "&Save Request…", files.save_request, [SK.Save], "Save the request JSON", "saveRequest"
        ),
        save_response_action=add(
            "Save Res&ponse…", files.save_response, ["Ctrl+Shift+S"], "Save the response JSON"
        ),
        quit_action=add("&Quit", window.close, ["Ctrl+Q"], "Quit", "quit"),
        edit_commands=[
            add(text, lambda _=False, n=name: edit_command(n), [key], name=f"edit_{name}")
            for text, name, key in (
                ("&Undo", "undo", SK.Undo),
                ("&Redo", "redo", SK.Redo),
                ("Cu&t", "cut", SK.Cut),
                ("&Copy", "copy", SK.Copy),
                ("&Paste", "paste", SK.Paste),
                ("Select &All", "selectAll", SK.SelectAll),
            )
        ],
        format_action=add(
            "&Format JSON",
            session.format_request,
            ["Ctrl+Shift+F"],
            "Pretty-print the request (2-space indents)",
            "format",
        ),
        generate_action=add(
            "&Generate Request", session.generate_request, ["Ctrl+G"], name="generate"
        ),
        # F2, the usual "edit this" key: not Ctrl+E, which moves to the end of a text field's
        # line with Qt's GNOME keys.
        edit_action=add("&Edit Request", session.edit_request, ["F2"], name="editRequest"),
        save_edits_action=add(
            "Sa&ve Edits", session.save_edits, ["Ctrl+Shift+Return"], name="saveEdits"
        ),
        reset_action=add("&Reset Request", session.reset_request, ["Ctrl+R"], name="reset"),
        view_action=add(
            "&View Response",
            calls.view_response,
            ["Ctrl+Return", "Ctrl+Enter"],
            "Send the request to the chosen hook",
            "viewResponse",
        ),
        cancel_action=cancel_action,
        zoom_in_action=add("Zoom &In", window.zoom_in, ["Ctrl+=", SK.ZoomIn], name="zoomIn"),
        zoom_out_action=add("Zoom &Out", window.zoom_out, ["Ctrl+-", SK.ZoomOut], name="zoomOut"),
        zoom_reset_action=add("&Actual Size", window.reset_zoom, ["Ctrl+0"], name="zoomReset"),
        theme_group=theme_group,
        theme_actions=theme_actions,
        auto_rerun_action=auto_rerun_action,
        reset_defaults_action=add(
            "Reset to &Defaults…", window.reset_to_defaults, name="resetDefaults"
        ),
        guide_action=add("The &Guide", window.show_guide, [SK.HelpContents], name="guide"),
        about_action=add("&About", window.show_about, name="about"),
    )


def _build_theme_actions(
    owner: QWidget, window: WindowCommands
) -> tuple[QActionGroup, dict[str, QAction]]:
    group = QActionGroup(owner)
    group.setExclusive(True)
    actions: dict[str, QAction] = {}
    mnemonic_labels = {"system": "Follow &System", "light": "&Light", "dark": "&Dark"}
    for mode in THEME_MODES:
        action = QAction(owner, text=mnemonic_labels.get(mode, THEME_LABELS[mode]))
        action.setCheckable(True)
        action.setData(mode)
        action.setObjectName(f"theme_{mode}")
        group.addAction(action)
        actions[mode] = action
    group.triggered.connect(lambda a: window.set_theme(str(a.data())))
    return group, actions


def build_menus(
    bar: QMenuBar,
    owner: QWidget,
    actions: Actions,
    bench: Workbench,
    presentation_action: QAction,
    reading_menu: QMenu,
) -> None:
    """The menu bar, in the console's words."""

    def menu(title: str, *entries: QAction | QMenu | None) -> QMenu:
        added = bar.addMenu(title)
        for entry in entries:
            if entry is None:
                added.addSeparator()
            elif isinstance(entry, QMenu):
                added.addMenu(entry)
            else:
                added.addAction(entry)
        return added

    a = actions
    undo, redo, cut, copy, paste, select_all = a.edit_commands
    files = (a.open_action, a.save_request_action, a.save_response_action)
    menu(
        "&File",
        *files,
        None,
        a.open_org_action,
        a.okta_org_action,
        bench.export_config_action,
        None,
        a.quit_action,
    )
    menu("&Edit", undo, redo, None, cut, copy, paste, select_all, None, a.format_action)
    menu(
        "&Request",
        a.generate_action,
        a.edit_action,
        a.save_edits_action,
        a.reset_action,
        None,
        a.view_action,
        a.cancel_action,
        None,
        bench.copy_curl_action,
    )
    theme_menu = QMenu("&Theme", owner)
    theme_menu.addActions(list(a.theme_actions.values()))
    view = (a.zoom_in_action, a.zoom_out_action, a.zoom_reset_action)
    menu(
        "&View",
        *view,
        None,
        presentation_action,
        theme_menu,
        a.auto_rerun_action,
        reading_menu,
        None,
        *bench.view_actions(),
        bench.history_action,
        None,
        a.reset_defaults_action,
    )
    menu("&Help", a.guide_action, a.about_action)
