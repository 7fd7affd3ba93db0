"""The window's room, shared out at any size: block 1 as tall as its fields need (its columns
under each other when narrow), the request editor a dozen lines at 1280x720, block 3 the
rest; and block 1 gets its height back whenever the window grows again.

Everything here takes the few widgets it measures or sizes (the blocks, block 1's scroll area)
and the window's two layout steps as functions, not the main window itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QMargins, QObject, QRect, QSize, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel

from app.views.viewport import viewport_of

if TYPE_CHECKING:
    from PySide6.QtWidgets import QPlainTextEdit, QScrollArea, QWidget

    from app.views.request_config import RequestConfigPanel
    from app.views.response_panel import ResponsePanel

#: The request editor shows at least this many lines by default (when block 3 keeps room).
REQUEST_LINES = 12
#: What block 3 keeps at least when the splitter is shared out (the pinned verdict and a bit).
MIN_BLOCK3 = 200
MIN_BLOCK2 = 150


#: Until the window manager has framed the window, assume a title bar and borders this big.
ASSUMED_FRAME = QMargins(4, 32, 4, 4)


def fitted_geometry(available: QRect, frame: QMargins, wanted: QSize) -> QRect:
    """The window's own rectangle (inside its frame) for `wanted`, shrunk so the frame too is
    inside `available` (the screen less its panels), and centred there."""
    outer_width = min(wanted.width() + frame.left() + frame.right(), available.width())
    outer_height = min(wanted.height() + frame.top() + frame.bottom(), available.height())
    left = available.x() + (available.width() - outer_width) // 2
    top = available.y() + (available.height() - outer_height) // 2
    return QRect(
        left + frame.left(),
        top + frame.top(),
        outer_width - frame.left() - frame.right(),
        outer_height - frame.top() - frame.bottom(),
    )


def frame_margins(window: QWidget) -> QMargins:
    """The window manager's frame around `window` (none known yet: all zero)."""
    outer, inner = window.frameGeometry(), window.geometry()
    return QMargins(
        inner.left() - outer.left(),
        inner.top() - outer.top(),
        outer.right() - inner.right(),
        outer.bottom() - inner.bottom(),
    )


def block_minimums(request_block: QWidget, response_block: QWidget) -> tuple[int, int]:
    """What blocks 2 and 3 keep at least: their own minimum (block 3's holds the response
    lines it keeps), never less than MIN_BLOCK2 / MIN_BLOCK3. Asking the splitter for less
    leaves it a wish it grants later, when a minimum shrinks: the blocks would jump."""
    block2 = max(MIN_BLOCK2, request_block.minimumSizeHint().height())
    block3 = max(MIN_BLOCK3, response_block.minimumSizeHint().height())
    return block2, block3


def block2_height_for(block: QWidget, code: QPlainTextEdit, lines: int) -> int:
    """Block 2's height for `lines` lines of its request editor `code` at its current font."""
    chrome = block.height() - viewport_of(code).height()
    if not block.isVisible() or not 0 < chrome < 400:  # not laid out yet: the buttons, the
        chrome = 6 * code.fontMetrics().lineSpacing() + 10  # frames and the status line
    return chrome + lines * code.fontMetrics().lineSpacing() + 4


def default_sizes(
    request_block: QWidget,
    code: QPlainTextEdit,
    response_block: QWidget,
    total: int,
    block1: int,
) -> list[int]:
    """Block 1 gets `block1`; block 2 (`request_block`, its editor `code`) a dozen request
    lines (at least 40% of the rest) while block 3 keeps its minimum; block 3 the rest."""
    min_block2, min_block3 = block_minimums(request_block, response_block)
    rest = max(0, total - block1)
    block2 = max(int(rest * 0.4), block2_height_for(request_block, code, REQUEST_LINES))
    block2 = max(min_block2, min(block2, rest - min_block3))
    return [block1, block2, rest - block2]


_FRAMING = (QEvent.Type.Show, QEvent.Type.Move)


class RoomKeeper(QObject):
    """Watches block 1's viewport and the window: narrow, the columns stack; larger again,
    block 1 gets back the height it needs (`fit_config_pane`). `default_split` shares the
    height out as on first start; block 3 (`response_panel`) follows the target."""

    def __init__(
        self,
        window: QWidget,
        config: RequestConfigPanel,
        config_scroll: QScrollArea,
        response_panel: ResponsePanel,
        *,
        fit_config_pane: Callable[[], None],
        default_split: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.config = config
        self.config_scroll = config_scroll
        self.response_panel = response_panel
        self._fit_config_pane = fit_config_pane
        self._default_split = default_split
        self._default_pending = False
        self._fit_wanted: QSize | None = None
        self._fit_size: QSize | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._refit)
        viewport_of(config_scroll).installEventFilter(self)
        window.installEventFilter(self)
        config.target_changed.connect(self._follow_target)
        self._follow_target()
        # Qt workaround: a form layout gives a wrapped label in a nested row the height of
        # one line when block 1 narrows (the hint under the target then overlaps the rows
        # around it); each such label keeps the height its text needs at its width.
        self._wrapped = [label for label in config.findChildren(QLabel) if label.wordWrap()]
        for label in self._wrapped:
            label.installEventFilter(self)

    def _follow_target(self, *_args: object) -> None:
        self.response_panel.set_remote(self.config.is_remote())

    def fit_on_screen(self, wanted: QSize) -> None:
        """Size and place the window for a first start: `wanted`, but never past the screen's
        available area, title bar and status bar included. The frame is only known once the
        window manager has framed the window: it is fitted again then."""
        self._fit_wanted = wanted
        self._fit_size = None
        self._fit_frame()

    def _fit_frame(self) -> None:
        wanted = self._fit_wanted
        window = self.window
        if wanted is None:
            return
        if self._fit_size is not None and window.size() != self._fit_size:
            self._fit_wanted = None  # sized by someone else since: theirs to keep
            return
        screen = window.screen() if window.isVisible() else QGuiApplication.primaryScreen()
        if screen is None:
            window.resize(wanted)
            return
        available = screen.availableGeometry()
        margins = frame_margins(window)
        framed = not margins.isNull()
        if not framed:
            margins = ASSUMED_FRAME
        elif available.contains(window.frameGeometry()):
            self._fit_wanted = None  # framed and on the screen: the person's from now on
            return
        fitted = fitted_geometry(available, margins, wanted)
        window.setGeometry(fitted)
        self._fit_size = window.size()  # the minimum size may have had its say
        if framed:
            self._fit_wanted = None

    def want_default_split(self) -> None:
        """Share the height out as on first start, now and again when the window is shown
        (its size is final then)."""
        self._default_pending = not self.window.isVisible()
        self._default_split()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Resize and isinstance(watched, QLabel) and watched.wordWrap():
            needed = watched.heightForWidth(watched.width())
            if needed > 0 and needed != watched.minimumHeight():
                watched.setMinimumHeight(needed)
            return False
        if watched is self.window and self._fit_wanted is not None and kind in _FRAMING:
            # The window manager framed (or moved) the new window: fit its frame too.
            QTimer.singleShot(0, self._fit_frame)
        if kind == QEvent.Type.Resize:
            self._timer.start()
        elif kind == QEvent.Type.Show and watched is self.window and self._default_pending:
            self._default_pending = False
            # After the layout has given the splitter its height (setSizes scales to it).
            QTimer.singleShot(0, self._default_split)
        return False

    def _refit(self) -> None:
        self.config.fit_width(viewport_of(self.config_scroll).width())
        self._fit_config_pane()
