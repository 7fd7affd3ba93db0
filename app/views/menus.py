"""The window's actions and menus: a catalogue of what the person can do, with its shortcuts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu

from app.views.theme import THEME_LABELS, THEME_MODES

if TYPE_CHECKING:
    from app.views.main_window import MainWindow

Keys = Sequence[QKeySequence | QKeySequence.StandardKey | str]


def edit_command(name: str) -> None:
    """Undo, Cut, Paste, ... for whichever widget has the focus."""
    method = getattr(QApplication.focusWidget(), name, None)
    if callable(method):
        method()


def _action(
    window: MainWindow,
    text: str,
    slot: Callable[..., Any],
    keys: Keys = (),
    tip: str = "",
    name: str = "",
) -> QAction:
    # The text as a keyword: QAction(text, parent) makes PySide load QIcon (its other
    # overload) while the window opens, for actions that have no icon.
    action = QAction(window, text=text)
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
    window.addAction(action)  # shortcuts work even while the menu bar is hidden
    return action


def build_actions(window: MainWindow) -> None:
    """The window's actions, each with its shortcuts; added to the window, so they work while
    the menu bar is hidden."""
    SK = QKeySequence.StandardKey
    session, files, calls = window.session, window.files, window.calls
    add = partial(_action, window)
    window.open_action = add(
        "&Open Request…", files.open_request, [SK.Open], "Open a request JSON file", "open"
    )
    window.open_org_action = add(
        "Open Or&g…", window.open_org, ["Ctrl+Shift+O"], "Read your own org's users", "openOrg"
    )
    window.okta_org_action = add(
        "Connect to Okta O&rg…",
        window.open_okta_org,
        tip="A live org's users, registration hooks, Preview through Okta and System Log",
        name="oktaOrg",
    )
    window.save_request_action = add(
        "&Save Request…", files.save_request, [SK.Save], "Save the request JSON", "saveRequest"
    )
    window.save_response_action = add(
        "Save Res&ponse…", files.save_response, ["Ctrl+Shift+S"], "Save the response JSON"
    )
    window.quit_action = add("&Quit", window.close, ["Ctrl+Q"], "Quit", "quit")
    window.edit_commands = [
        add(text, lambda _=False, n=name: edit_command(n), [key], name=f"edit_{name}")
        for text, name, key in (
            ("&Undo", "undo", SK.Undo),
            ("&Redo", "redo", SK.Redo),
            ("Cu&t", "cut", SK.Cut),
            ("&Copy", "copy", SK.Copy),
            ("&Paste", "paste", SK.Paste),
            ("Select &All", "selectAll", SK.SelectAll),
        )
    ]
    window.format_action = add(
        "&Format JSON",
        session.format_request,
        ["Ctrl+Shift+F"],
        "Pretty-print the request (2-space indents)",
        "format",
    )
    window.generate_action = add(
        "&Generate Request", session.generate_request, ["Ctrl+G"], name="generate"
    )
    # F2, the usual "edit this" key: not Ctrl+E, which moves to the end of a text field's line
    # with Qt's GNOME keys.
    window.edit_action = add("&Edit Request", session.edit_request, ["F2"], name="editRequest")
    window.save_edits_action = add(
        "Sa&ve Edits", session.save_edits, ["Ctrl+Shift+Return"], name="saveEdits"
    )
    window.reset_action = add("&Reset Request", session.reset_request, ["Ctrl+R"], name="reset")
    window.view_action = add(
        "&View Response",
        calls.view_response,
        ["Ctrl+Return", "Ctrl+Enter"],
        "Send the request to the chosen hook",
        "viewResponse",
    )
    window.cancel_action = add(
        "&Cancel Call", calls.cancel_call, ["Esc"], "Stop waiting for the hook", "cancel"
    )
    window.cancel_action.setEnabled(False)
    window.zoom_in_action = add("Zoom &In", window.zoom_in, ["Ctrl+=", SK.ZoomIn], name="zoomIn")
    window.zoom_out_action = add(
        "Zoom &Out", window.zoom_out, ["Ctrl+-", SK.ZoomOut], name="zoomOut"
    )
    window.zoom_reset_action = add("&Actual Size", window.reset_zoom, ["Ctrl+0"], name="zoomReset")
    _build_theme_actions(window)
    window.auto_rerun_action = add(
        "&Re-run Bundled Hook on Each Change",
        lambda _=False: None,
        tip="Bundled targets answer at once after every change (never a remote URL)",
        name="autoRerun",
    )
    window.auto_rerun_action.setCheckable(True)
    window.auto_rerun_action.setChecked(True)
    window.reset_defaults_action = add(
        "Reset to &Defaults…", window.reset_to_defaults, name="resetDefaults"
    )
    window.guide_action = add("The &Guide", window.show_guide, [SK.HelpContents], name="guide")
    window.about_action = add("&About", window.show_about, name="about")


def _build_theme_actions(window: MainWindow) -> None:
    window.theme_group = QActionGroup(window)
    window.theme_group.setExclusive(True)
    window.theme_actions: dict[str, QAction] = {}
    mnemonic_labels = {"system": "Follow &System", "light": "&Light", "dark": "&Dark"}
    for mode in THEME_MODES:
        action = QAction(window, text=mnemonic_labels.get(mode, THEME_LABELS[mode]))
        action.setCheckable(True)
        action.setData(mode)
        action.setObjectName(f"theme_{mode}")
        window.theme_group.addAction(action)
        window.theme_actions[mode] = action
    window.theme_group.triggered.connect(lambda a: window.set_theme(str(a.data())))


def build_menus(window: MainWindow) -> None:
    """The menu bar, in the console's words."""

    def menu(title: str, *entries: QAction | QMenu | None) -> QMenu:
        added = window.menuBar().addMenu(title)
        for entry in entries:
            if entry is None:
                added.addSeparator()
            elif isinstance(entry, QMenu):
                added.addMenu(entry)
            else:
                added.addAction(entry)
        return added

    undo, redo, cut, copy, paste, select_all = window.edit_commands
    files = (window.open_action, window.save_request_action, window.save_response_action)
    bench = window.workbench
    menu(
        "&File",
        *files,
        None,
        window.open_org_action,
        window.okta_org_action,
        bench.export_config_action,
        None,
        window.quit_action,
    )
    menu("&Edit", undo, redo, None, cut, copy, paste, select_all, None, window.format_action)
    menu(
        "&Request",
        window.generate_action,
        window.edit_action,
        window.save_edits_action,
        window.reset_action,
        None,
        window.view_action,
        window.cancel_action,
        None,
        bench.copy_curl_action,
    )
    from app.views.reading import build_reading_menu

    theme_menu = QMenu("&Theme", window)
    theme_menu.addActions(list(window.theme_actions.values()))
    view = (window.zoom_in_action, window.zoom_out_action, window.zoom_reset_action)
    menu(
        "&View",
        *view,
        None,
        window.presentation.action,
        theme_menu,
        window.auto_rerun_action,
        build_reading_menu(window),
        None,
        *bench.view_actions(),
        bench.history_action,
        None,
        window.reset_defaults_action,
    )
    menu("&Help", window.guide_action, window.about_action)
