"""The fleet: a live table of stores, with a filter and the actions on a store."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.widgets import Footer, Input, Static

from storefleet_tui.core.backend import PLAYBOOKS, refusal
from storefleet_tui.core.fleet_summary import fleet_summary
from storefleet_tui.core.stores import Store
from storefleet_tui.screens.base import StorefleetScreen
from storefleet_tui.widgets.common.context_bar import ContextBar
from storefleet_tui.widgets.common.nodes_banner import NodesBanner
from storefleet_tui.widgets.fleet.fleet_summary import FleetSummary
from storefleet_tui.widgets.fleet.store_table import StoreTable


class StoresScreen(StorefleetScreen[None]):
    CHANGES_CLUSTER = frozenset({"create", "delete", "platform", "upgrade"})
    AUTO_FOCUS = "#stores"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "open",
            "Open",
            id="stores.open",
            tooltip="Details of the selected store",
            show=False,
        ),
        Binding(
            "slash",
            "filter",
            "Filter",
            id="stores.filter",
            tooltip="Show only stores whose name or phase matches",
        ),
        Binding(
            "space",
            "toggle_select",
            "Select",
            id="stores.select",
            tooltip="Select the highlighted store, or unselect it",
            show=False,
        ),
        Binding(
            "u",
            "upgrade",
            "Upgrade selected",
            id="stores.upgrade",
            tooltip="Upgrade the selected stores (else the highlighted one) in waves",
        ),
        Binding("c", "create", "Create", id="stores.create", tooltip="Create a new store"),
        Binding(
            "ctrl+d", "delete", "Delete", id="stores.delete", tooltip="Delete the selected store"
        ),
        Binding(
            "p",
            "platform",
            "Platform",
            id="stores.platform",
            tooltip="Set up or tear down the platform",
        ),
        Binding("r", "runs", "Runs", id="stores.runs", tooltip="Past runs, to replay"),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            id="stores.clear_filter",
            show=False,
            tooltip="Clear the filter; without one, the selection",
        ),
    ]

    filter_text: reactive[str] = reactive("")
    """Only stores whose name or phase contains this text are listed."""

    def compose(self) -> ComposeResult:
        yield ContextBar(readonly=self.app.readonly)
        yield NodesBanner(id="nodes-banner")
        yield Input(placeholder="filter: name or phase", id="store-filter", disabled=True)
        yield Static("", id="fleet-empty")
        yield StoreTable(id="stores")
        yield FleetSummary(id="fleet-summary")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "fleet_version", self.redraw)

    def watch_filter_text(self, _: str) -> None:
        self.redraw()

    def visible_stores(self) -> list[Store]:
        fleet = self.app.fleet
        needle = self.filter_text.strip().lower()
        stores = sorted(fleet.values(), key=lambda store: store.name)
        if needle:
            stores = [s for s in stores if needle in s.name.lower() or needle in s.phase.lower()]
        return stores

    def redraw(self, _: object = None) -> None:
        if not self.is_mounted:
            return
        stores = self.visible_stores()
        table = self.query_one(StoreTable)
        table.show(stores, self.app.clock())
        table.keep_selection(self.app.fleet)
        self.show_summary()
        empty = self.query_one("#fleet-empty", Static)
        if stores:
            empty.display = False
            return
        empty.display = True
        if self.app.cluster_problem:
            empty.update(
                "The cluster cannot be read (see the top line). Past runs stay available: r."
            )
        elif self.filter_text:
            empty.update(f"No store matches “{self.filter_text}”. esc clears the filter.")
        elif self.app.fleet_synced:
            empty.update("No stores yet. Press c to create one.")
        else:
            empty.update("Reading stores…")

    def show_summary(self) -> None:
        text = fleet_summary(self.app.fleet.values())
        selected = len(self.query_one(StoreTable).selection)
        if selected:
            text += f" · {selected} selected (u upgrades, esc clears)"
        self.query_one(FleetSummary).show(text)

    def on_store_table_selection_changed(self, _: StoreTable.SelectionChanged) -> None:
        self.show_summary()

    # -- filter --------------------------------------------------------------------

    def action_filter(self) -> None:
        box = self.query_one("#store-filter", Input)
        box.disabled = False
        box.add_class("-active")
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "store-filter":
            self.filter_text = event.value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "store-filter":
            self.query_one(StoreTable).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#store-filter", Input)
        if not box.value and not box.has_class("-active"):
            self.query_one(StoreTable).clear_selection()
            return
        box.value = ""
        box.remove_class("-active")
        box.disabled = True
        self.filter_text = ""
        self.query_one(StoreTable).focus()

    # -- actions -------------------------------------------------------------------

    def _selected(self) -> str | None:
        return self.query_one(StoreTable).selected_name

    def on_store_table_opened(self, message: StoreTable.Opened) -> None:
        self.open_store(message.name)

    def action_open(self) -> None:
        name = self._selected()
        if name:
            self.open_store(name)

    def open_store(self, name: str) -> None:
        from storefleet_tui.screens.store_detail import StoreDetailScreen

        self.app.push_screen(StoreDetailScreen(name))

    def action_toggle_select(self) -> None:
        self.query_one(StoreTable).toggle_selection()

    def action_upgrade(self) -> None:
        from storefleet_tui.screens.fleet_upgrade import FleetUpgradeScreen

        refused = refusal(self.app.backend, PLAYBOOKS["fleet_upgrade"])
        if refused:
            self.notify(refused, title="No fleet upgrade", severity="error", timeout=15)
            return
        table = self.query_one(StoreTable)
        # The selection, else the highlighted store: what k9s does with its marks.
        names = sorted(table.selection) or ([table.selected_name] if table.selected_name else [])
        if not names:
            self.notify("Select stores with space first.", severity="warning")
            return
        self.app.push_screen(FleetUpgradeScreen(tuple(names)))

    def action_create(self) -> None:
        from storefleet_tui.screens.create import CreateScreen

        self.app.push_screen(CreateScreen())

    def action_delete(self) -> None:
        from storefleet_tui.screens.delete_confirm import confirm_and_delete

        name = self._selected()
        if name:
            confirm_and_delete(self.app, name)
        else:
            self.notify("Select a store first.", severity="warning")

    def action_platform(self) -> None:
        from storefleet_tui.screens.platform import PlatformScreen

        self.app.push_screen(PlatformScreen())

    def action_runs(self) -> None:
        from storefleet_tui.screens.runs import RunsScreen

        self.app.push_screen(RunsScreen())
