"""The live table of stores: redraws only the cells that changed.

Rows are compared as plain strings (cheap), and only the cells that differ are
written, inside one batch so the screen repaints once per fleet change; the table
forgets what it rendered of those cells only. Stores that come or go add or remove
their own rows; the rest stay as they are.

Stores are selected by name (space), so a selection outlives relists and filters; a
selected row is styled, not given a column, and only its own rendering is redone.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, ClassVar, TypeVar

from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from storefleet_tui.core.stores import Store
from storefleet_tui.widgets.fleet.phase import AgeCache, phase_text

COLUMNS = ("Name", "Phase", "Plan", "Age", "Storefront", "Progress")
_PHASE = COLUMNS.index("Phase")
Row = tuple[str, ...]
Key = TypeVar("Key")
# The names of the rows whose cell changed, by column.
Changed = dict[ColumnKey, set[str]]
# Removing a row renumbers every row (~1 us each) and laying a row out again measures
# its cells (~200 us): past this many stores gone at once (a filter typed), laying the
# rows left out again is cheaper, whatever the size of the fleet.
FEW_GONE = 100


def row_of(store: Store, age: str) -> Row:
    """What a store's row reads, as plain strings: compared to find changed cells."""
    return (
        store.name,
        store.phase,
        store.plan or "-",
        age,
        store.urls.get("storefront", "") or "-",
        store.progress,
    )


@lru_cache(maxsize=64)
def phase_cell(phase: str) -> Text:
    """One Text per phase, shared by every row: the table only reads its cells, and a
    relist would otherwise make thousands of copies for the garbage collector."""
    return phase_text(phase)


def discard(cache: LRUCache[Key, Any], stale: Callable[[Key], bool]) -> None:
    """Drop the entries of `cache` whose key is `stale`."""
    for key in list(filter(stale, cache.keys())):
        cache.discard(key)


def cell_maker(column: int) -> Callable[[str], str | Text]:
    """How a column's text becomes its cells: the phase is coloured, the rest is plain."""
    return phase_cell if column == _PHASE else str


def row_cells(row: Row) -> list[str | Text]:
    return [cell_maker(column)(value) for column, value in enumerate(row)]


class StoreTable(DataTable[str | Text]):
    """One row per store, keyed by name."""

    COMPONENT_CLASSES: ClassVar[set[str]] = DataTable.COMPONENT_CLASSES | {"storetable--selected"}
    DEFAULT_CSS = """
    StoreTable > .storetable--selected {
        background: $accent 45%;
        text-style: bold;
    }
    """

    @dataclass
    class SelectionChanged(Message):
        """Stores were selected or unselected."""

        table: StoreTable
        names: frozenset[str]

        @property
        def control(self) -> StoreTable:
            return self.table

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
        self._ages = AgeCache()
        self._selection: set[str] = set()

    def on_mount(self) -> None:
        self._column_keys = [self.add_column(column, key=column.lower()) for column in COLUMNS]

    def show(self, stores: Sequence[Store], now: datetime) -> None:
        rows = self._rows_of(stores, now)
        with self.app.batch_update():
            if list(rows) == list(self._shown):
                self._patch(rows)
            elif len(self._shown.keys() - rows.keys()) <= FEW_GONE:
                self._reshape(rows)
            else:
                self._rebuild(rows)
        self._shown = rows

    def _rows_of(self, stores: Sequence[Store], now: datetime) -> dict[str, Row]:
        """What the row of each store reads at `now`, by name, in the order given."""
        ages = self._ages
        rows = {
            store.name: row_of(store, ages.age(store.name, store.created, now)) for store in stores
        }
        ages.keep_at_most(2 * len(rows))
        return rows

    def _patch(self, rows: dict[str, Row]) -> None:
        """Same stores: write only the cells whose text changed, then repaint once."""
        changed = self._write_changed_cells(rows)
        if changed:
            self._forget_rendered_cells(changed)
            self.refresh()

    def _reshape(self, rows: dict[str, Row]) -> None:
        """A few stores went (any number came): remove and add their rows only."""
        selected = self.selected_name
        for name in self._shown.keys() - rows.keys():
            self.remove_row(name)
        self._write_changed_cells(rows)  # what was rendered goes with the sort below
        for name in rows.keys() - self._shown.keys():
            self._add(name, rows[name])
        place = {name: index for index, name in enumerate(rows)}
        # The name cell is the row key: order the rows as `rows` is ordered.
        self.sort(self._column_keys[0], key=place.__getitem__)
        self._reselect(selected, place)

    def _rebuild(self, rows: dict[str, Row]) -> None:
        """Many stores went: lay the rows out again, keeping the selection."""
        selected = self.selected_name
        self.clear()
        for name, row in rows.items():
            self._add(name, row)
        self._reselect(selected, {name: index for index, name in enumerate(rows)})

    def _add(self, name: str, row: Row) -> None:
        self.add_row(*row_cells(row), key=name)

    def _reselect(self, selected: str | None, place: dict[str, int]) -> None:
        """Keep the cursor on the store it was on; back to the top if that one went."""
        index = place.get(selected) if selected is not None else None
        self.move_cursor(row=index or 0)

    def _write_changed_cells(self, rows: dict[str, Row]) -> Changed:
        """Write the cells of shown stores whose text changed; which ones did.

        A column at a time: one comparison of two tuples passes over a column that did
        not change (names, plans, most ages). update_cell would refresh the widget once
        per cell (100 ms for a relist of 500 stores): write the cells as it does
        (textual 8.2.8, pinned) and repaint once.
        """
        shown = self._shown
        names = [name for name in rows if name in shown]
        before = zip(*[shown[name] for name in names], strict=True)
        after = zip(*[rows[name] for name in names], strict=True)
        # No store in common gives no columns: nothing to compare.
        columns = zip(self._column_keys, before, after, strict=False)
        differ = [
            (i, key, olds, news) for i, (key, olds, news) in enumerate(columns) if olds != news
        ]
        if not differ:
            return {}
        # By plain name: a RowKey hashes and compares in Python, twice per cell.
        cells_of = {key.value: cells for key, cells in self._data.items()}
        changed: Changed = {}
        for index, column, olds, news in differ:
            in_column = changed[column] = set()
            make = cell_maker(index)
            for name, old, new in zip(names, olds, news, strict=True):
                if old != new:
                    cells_of[name][column] = make(new)
                    in_column.add(name)
        return changed

    def _forget_rendered_cells(self, changed: Changed) -> None:
        """Drop what the DataTable rendered from the `changed` cells (textual 8.2.8,
        pinned): the cells, their rows, and the lines made of them.

        Bumping its update count, as update_cell does, would drop every rendered cell,
        and the row order and line offsets, which it then rebuilds row by row (~15 ms
        at 5,000 stores) although no row moved.
        """
        names = set().union(*changed.values())
        name_at = self._row_locations.get_key
        no_names: set[str] = set()
        discard(self._cell_render_cache, lambda key: key[0].value in changed.get(key[1], no_names))
        discard(self._row_render_cache, lambda key: key[0].value in names)
        # A RowKey is found in a set of plain names.
        discard(self._row_renderable_cache, lambda key: name_at(key[1]) in names)
        # Lines are put together from the rendered rows: cheap to redo, all of them.
        self._line_cache.clear()

    # -- selection ------------------------------------------------------------------

    @property
    def selection(self) -> frozenset[str]:
        """The names of the selected stores, shown or filtered out."""
        return frozenset(self._selection)

    def toggle_selection(self) -> None:
        """Select the store under the cursor, or unselect it."""
        name = self.selected_name
        if name is None:
            return
        self._selection.symmetric_difference_update({name})
        self._restyle({name})

    def clear_selection(self) -> None:
        if self._selection:
            names, self._selection = self._selection, set()
            self._restyle(names)

    def keep_selection(self, names: Collection[str]) -> None:
        """Unselect the stores that are gone (not in `names`): O(selected)."""
        gone = {name for name in self._selection if name not in names}
        if gone:
            self._selection -= gone
            self._restyle(gone)

    def _restyle(self, names: set[str]) -> None:
        # The row style is part of the cell cache key, not of the row's: forget the
        # rendered rows of `names` and the lines made of them.
        discard(self._row_render_cache, lambda key: key[0].value in names)
        self._line_cache.clear()
        self.refresh()
        self.post_message(self.SelectionChanged(self, self.selection))

    def _get_row_style(self, row_index: int, base_style: Style) -> Style:
        style = super()._get_row_style(row_index, base_style)
        if row_index < 0 or not self._selection:
            return style
        key = self._row_locations.get_key(row_index)
        if key is not None and key.value in self._selection:
            return style + self.get_component_rich_style("storetable--selected")
        return style

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
