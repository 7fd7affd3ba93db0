"""A row of controls that wraps onto more rows when its width runs out, the way words wrap: a
docked panel's tool row stays whole in a narrow dock instead of being cut at its edge.
(After Qt's "Flow Layout" example.)"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget, QWidgetItem


class FlowLayout(QLayout):
    """Items left to right, wrapping; an Expanding last item takes the rest of its row. Height
    follows width (heightForWidth), so a parent grows with it."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    # --- QLayout -------------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def addWidget(self, widget: QWidget) -> None:  # type: ignore[override]
        self.addChildWidget(widget)
        self.addItem(QWidgetItem(widget))
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:
        # One row when there is room for it.
        margins = self.contentsMargins()
        width = sum(item.sizeHint().width() for item in self._shown())
        width += self._spacing * max(0, len(self._shown()) - 1)
        height = max((item.sizeHint().height() for item in self._shown()), default=0)
        return QSize(
            width + margins.left() + margins.right(), height + margins.top() + margins.bottom()
        )

    def minimumSize(self) -> QSize:
        # As narrow as the widest single item: everything else wraps.
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    # --- placing ---------------------------------------------------------------------------

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _place(self, rect: QRect, *, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, row_height = area.x(), area.y(), 0
        rows: list[list[tuple[QLayoutItem, QSize]]] = [[]]
        for item in self._shown():
            hint = item.sizeHint()
            width = min(hint.width(), area.width()) if area.width() > 0 else hint.width()
            if rows[-1] and x + width > area.right() + 1:
                x, y = area.x(), y + row_height + self._spacing
                row_height = 0
                rows.append([])
            rows[-1].append((item, QSize(width, hint.height())))
            x += width + self._spacing
            row_height = max(row_height, hint.height())
        if move:
            top = area.y()
            for row in rows:
                height = max((size.height() for _, size in row), default=0)
                left = area.x()
                for index, (item, size) in enumerate(row):
                    width = size.width()
                    last = index == len(row) - 1
                    if last and _grows(item):
                        width = max(width, area.right() + 1 - left)
                    # Centred in its row's height, as a box layout centres a shorter button.
                    offset = (height - size.height()) // 2
                    item.setGeometry(QRect(QPoint(left, top + offset), QSize(width, size.height())))
                    left += width + self._spacing
                top += height + self._spacing
        return y + row_height - rect.y() + margins.bottom()


def _grows(item: QLayoutItem) -> bool:
    """Only an item that asks for all the room it can get (Expanding) takes a row's end."""
    widget = item.widget()
    if widget is None:
        return False
    policy = widget.sizePolicy().horizontalPolicy()
    return bool(policy.value & QSizePolicy.PolicyFlag.ExpandFlag.value)


__all__ = ["FlowLayout"]
