"""The live table of stores: redraws only the cells that changed.

Rows are compared as plain strings (cheap), and only the cells that differ are
written, inside one batch so the screen repaints once per fleet change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from storefleet_tui.core.stores import Store
from storefleet_tui.widgets.fleet.phase import age, phase_text

COLUMNS = ("Name", "Phase", "Plan", "Age", "Storefront", "Progress")
_PHASE = COLUMNS.index("Phase")
Row = tuple[str, ...]
# Up to this many changed cells go through update_cell one by one (a watch event).
FEW_CELLS = 12


def row_of(store: Store, now: datetime) -> Row:
    """What a store's row reads, as plain strings: compared to find changed cells."""
    return (
        store.name,
        store.phase,
        store.plan or "-",
        age(store.created, now),
        store.urls.get("storefront", "") or "-",
        store.progress,
    )


def cell(column: int, value: str) -> str | Text:
    """The renderable of one cell: the phase is coloured, the rest is plain text."""
    return phase_text(value) if column == _PHASE else value


class StoreTable(DataTable[str | Text]):
    """One row per store, keyed by name."""

    @dataclass
    class Opened(Message):
        """The user pressed enter on a store."""

        table: StoreTable
        name: str

        @property
        def control(self) -> StoreTable:
            return self.table

    def __init__(self, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self._shown: dict[str, Row] = {}
        self._column_keys: list[ColumnKey] = []

    def on_mount(self) -> None:
        self._column_keys = [self.add_column(column, key=column.lower()) for column in COLUMNS]

    def show(self, stores: Sequence[Store], now: datetime) -> None:
        rows = {store.name: row_of(store, now) for store in stores}
        with self.app.batch_update():
            if list(rows) != list(self._shown):
                self._rebuild(rows)
            else:
                self._patch(rows)
        self._shown = rows

    def _rebuild(self, rows: dict[str, Row]) -> None:
        """Stores came or went: lay the rows out again, keeping the selection."""
        selected = self.selected_name
        self.clear()
        for name, row in rows.items():
            self.add_row(*(cell(i, value) for i, value in enumerate(row)), key=name)
        if selected in rows:
            self.move_cursor(row=list(rows).index(selected))

    def _patch(self, rows: dict[str, Row]) -> None:
        """Same stores: write only the cells whose text changed, then refresh once."""
        shown = self._shown
        changes: list[tuple[RowKey, ColumnKey, str | Text]] = []
        for name, row in rows.items():
            before = shown[name]
            if row == before:
                continue
            key = RowKey(name)
            changes.extend(
                (key, self._column_keys[i], cell(i, new))
                for i, (old, new) in enumerate(zip(before, row, strict=True))
                if old != new
            )
        if len(changes) <= FEW_CELLS:
            for row_key, column_key, value in changes:
                self.update_cell(row_key, column_key, value)
            return
        # update_cell refreshes the widget on every call: ~0.1 ms each, 100 ms for a
        # relist of 500 stores. Write the cells as update_cell does (textual 8.2.8,
        # pinned) and invalidate the render caches once.
        for row_key, column_key, value in changes:
            self._data[row_key][column_key] = value
        self._update_count += 1
        self.refresh()

    @property
    def selected_name(self) -> str | None:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except Exception:
            return None
        return key.value

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.post_message(self.Opened(self, event.row_key.value))
