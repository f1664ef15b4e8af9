"""One generic table model for every list: a row count plus pages of rows fetched on demand and cached.

Like Anki's browser table model: the view asks for a cell, the model finds its page, fetches that page
with one LIMIT/OFFSET query through coop.services.tables (member scoping applies there) and keeps at most
MAX_PAGES pages. A list of a million lots therefore never loads all rows.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from coop.i18n import _
from coop.permissions import Actor
from coop.services import tables
from ui import fmt

PAGE = 200
MAX_PAGES = 20
NUMERIC = {"money", "money_ccy", "qty", "milli", "int", "bp", "grade"}
Index = QModelIndex | QPersistentModelIndex


def read_only_flags(index: Index) -> Qt.ItemFlag:
    """The flags of a cell of a read-only table: selectable rows, nothing editable, no tree below."""
    if not index.isValid():
        return Qt.ItemFlag.NoItemFlags
    return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class ListModel(QAbstractTableModel):
    """Rows of one ListSpec under a Query; the view's sort and filters are applied in SQL."""

    def __init__(self, actor: Actor, name: str, parent=None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.spec = tables.spec(name)
        self.query = tables.Query(sort=self.spec.default_sort, descending=self.spec.default_descending)
        self.columns = tables.visible_columns(actor, name)
        self._all = list(self.spec.columns)
        self._count = 0
        self._pages: OrderedDict[int, list[tuple]] = OrderedDict()
        self._totals: dict[str, int] | None = None
        self.reload()

    # --- data loading -------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-count and drop the cache (after a filter, sort or change)."""
        self.beginResetModel()
        self._pages.clear()
        self._count = tables.count(self.actor, self.spec.name, self.query)
        self._totals = None  # summed on first request, after the first page is on screen
        self.endResetModel()

    @property
    def totals(self) -> dict[str, int]:
        if self._totals is None:
            self._totals = tables.totals(self.actor, self.spec.name, self.query)
        return self._totals

    def _page(self, number: int) -> list[tuple]:
        rows = self._pages.get(number)
        if rows is None:
            rows = tables.page(self.actor, self.spec.name, self.query, number * PAGE, PAGE, self._count)
            self._pages[number] = rows
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return rows

    def raw(self, row: int) -> dict[str, Any]:
        """The row's raw values by column key, plus 'id'."""
        rows = self._page(row // PAGE)
        values = rows[row % PAGE] if row % PAGE < len(rows) else (None,) * (len(self._all) + 1)
        out = {c.key: v for c, v in zip(self._all, values[1:], strict=True)}
        out["id"] = values[0]
        return out

    def row_id(self, row: int) -> int:
        return int(self.raw(row)["id"])

    def sort_column(self) -> int:
        keys = [c.key for c in self.columns]
        return keys.index(self.query.sort) if self.query.sort in keys else 0

    def cached_pages(self) -> int:
        return len(self._pages)

    # --- Qt model interface -------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._count:
            return None
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            raw = self.raw(index.row())
            return fmt.cell(col.kind, raw[col.key], raw, col.labels)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(
                (Qt.AlignmentFlag.AlignRight if col.kind in NUMERIC else Qt.AlignmentFlag.AlignLeft)
                | Qt.AlignmentFlag.AlignVCenter
            )
        if role == Qt.ItemDataRole.ForegroundRole:
            raw = self.raw(index.row())
            if raw.get("state") == "voided" or raw.get("status") == "voided":
                return QBrush(QColor("#888888"))
        if role == Qt.ItemDataRole.UserRole:
            return self.raw(index.row())["id"]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return _(self.columns[section].label)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return read_only_flags(index)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.query.sort = self.columns[column].key
        self.query.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    def refresh_labels(self) -> None:
        """After a language switch: headers and label cells change, the rows do not."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self.columns) - 1))
        if self._count and self.columns:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, len(self.columns) - 1))

    # --- totals and export ----------------------------------------------------------------------
    def totals_text(self) -> str:
        parts = []
        for col in self.columns:
            if col.key in self.totals:
                row = {}
                if col.kind == "qty":  # quantities add up only within one mineral (one unit)
                    if self.query.mineral_id is None:
                        continue
                    from coop.services import lookups

                    row["unit"] = lookups.mineral_unit(self.query.mineral_id)
                value = fmt.cell(col.kind, self.totals[col.key], row, col.labels)
                parts.append(_("{label}: {value}").format(label=_(col.label), value=value))
        return "   ".join(parts)

    def export_rows(self):
        """Header and every filtered row formatted as shown (for CSV export)."""
        header = [_(c.label) for c in self.columns]

        def gen():
            for values in tables.rows(self.actor, self.spec.name, self.query):
                raw = {c.key: v for c, v in zip(self._all, values[1:], strict=True)}
                yield [fmt.cell(c.kind, raw[c.key], raw, c.labels) for c in self.columns]

        return header, gen()
