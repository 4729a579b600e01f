"""The live table of stores: redraws only the cells that changed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from storefleet_tui.core.stores import Store
from storefleet_tui.widgets.fleet.phase import age, phase_text

COLUMNS = ("Name", "Phase", "Plan", "Age", "Storefront", "Progress")


def row_of(store: Store, now: datetime) -> tuple[str | Text, ...]:
    return (
        store.name,
        phase_text(store.phase),
        store.plan or "-",
        age(store.created, now),
        store.urls.get("storefront", "") or "-",
        store.progress,
    )


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

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self._shown: dict[str, tuple[str | Text, ...]] = {}

    def on_mount(self) -> None:
        for column in COLUMNS:
            self.add_column(column, key=column.lower())

    def show(self, stores: Sequence[Store], now: datetime) -> None:
        rows = {store.name: row_of(store, now) for store in stores}
        if list(rows) != list(self._shown):
            selected = self.selected_name
            self.clear()
            for name, row in rows.items():
                self.add_row(*row, key=name)
            if selected in rows:
                self.move_cursor(row=list(rows).index(selected))
        else:
            for name, row in rows.items():
                old = self._shown[name]
                for column, (before, after) in zip(
                    COLUMNS, zip(old, row, strict=True), strict=True
                ):
                    if str(before) != str(after) or getattr(before, "style", None) != getattr(
                        after, "style", None
                    ):
                        self.update_cell(name, column.lower(), after)
        self._shown = rows

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
