"""Pilot tests of the stores screen: live table, filter, keys, readonly, the nodes banner."""

from __future__ import annotations

import threading

import pytest
from kubernetes.client.exceptions import ApiException

from storefleet_tui.core.nodes import ClusterNodes
from storefleet_tui.core.stores import Store, StoreChange
from storefleet_tui.messages import StoresChanged
from storefleet_tui.screens.create import CreateScreen
from storefleet_tui.screens.delete_confirm import DeleteConfirmScreen
from storefleet_tui.screens.store_detail import StoreDetailScreen
from storefleet_tui.widgets.common.nodes_banner import NodesBanner
from storefleet_tui.widgets.fleet.store_table import StoreTable
from tests.unit.tui.driving import drawn, screen_text, settle
from tests.unit.tui.entry import make_app
from tests.unit.tui.recorded import RecordedBackend, sandbox_nodes

pytestmark = pytest.mark.asyncio


async def test_table_lists_the_fleet_with_phase_and_inventory_on_screen() -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        table = app.screen.query_one(StoreTable)
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == ["acme", "bolt", "crumb"]
        text = screen_text(app)
        assert "sandbox · storefleet-sandbox" in text
        assert "Provisioning" in text and "http://acme.sandbox.127.0.0.1.nip.io" in text


async def test_watch_changes_update_rows_in_place() -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        bolt = app.fleet["bolt"]
        ready = Store(
            bolt.name,
            "Ready",
            bolt.plan,
            created=bolt.created,
            urls={"storefront": "http://bolt.x"},
        )
        app.post_message(StoresChanged(StoreChange("MODIFIED", store=ready)))
        app.post_message(StoresChanged(StoreChange("DELETED", store=app.fleet["crumb"])))
        table = app.screen.query_one(StoreTable)
        await settle(pilot, lambda: table.row_count == 2)
        assert str(table.get_cell("bolt", "phase")) == "Ready"


async def test_empty_fleet_says_how_to_start() -> None:
    app = make_app(stores=[])
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        await drawn(pilot, ["No stores yet. Press c to create one."])


async def test_slash_filters_and_escape_clears() -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        await pilot.press("slash", "f", "a", "i", "l")
        table = app.screen.query_one(StoreTable)
        await settle(pilot, lambda: table.row_count == 1)
        assert table.get_row_at(0)[0] == "crumb"
        await pilot.press("enter", "escape")
        await settle(pilot, lambda: table.row_count == 3)


async def test_keys_open_detail_create_and_delete() -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        await pilot.press("down", "enter")
        await settle(pilot, lambda: isinstance(app.screen, StoreDetailScreen))
        assert app.screen.store_name == "bolt"
        await pilot.press("escape", "c")
        await settle(pilot, lambda: isinstance(app.screen, CreateScreen))
        await pilot.press("escape", "ctrl+d")
        await settle(pilot, lambda: isinstance(app.screen, DeleteConfirmScreen))
        assert app.screen.store_name == "bolt"


async def test_readonly_hides_and_refuses_destructive_actions() -> None:
    app = make_app(readonly=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        text = screen_text(app)
        assert "READONLY" in text
        assert "Create" not in text and "Delete" not in text and "Platform" not in text
        await pilot.press("c", "ctrl+d", "p")
        await pilot.pause()
        assert type(app.screen).__name__ == "StoresScreen"
        assert app.backend.launched == []


async def test_simulated_cluster_shows_the_banner() -> None:
    app = make_app(simulated=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.fleet_synced and app.cluster_simulated)
        banner = app.screen.query_one(NodesBanner)
        assert banner.display
        text = screen_text(app)
        assert "nodes are simulated" in text and "stores are not served" in text


async def test_kwok_nodes_only_show_the_simulated_cluster_banner() -> None:
    app = make_app(nodes=sandbox_nodes("kwok"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.fleet_synced and app.cluster_nodes is not None)
        assert not app.cluster_simulated, "the inventory says nothing: the nodes tell"
        assert app.screen.query_one(NodesBanner).display
        await drawn(pilot, ["nodes are simulated", "stores are not served"])


async def test_real_and_kwok_nodes_name_the_real_one_and_count_the_rest() -> None:
    app = make_app(nodes=sandbox_nodes())
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.fleet_synced and app.cluster_nodes is not None)
        assert app.screen.query_one(NodesBanner).display
        await drawn(
            pilot,
            [
                "Real node sandbox-real-1 serves stores.",
                "3 simulated nodes run no containers (for scale tests only).",
            ],
            hidden=["nodes are simulated"],
        )


async def test_real_nodes_only_show_no_banner() -> None:
    app = make_app(nodes=sandbox_nodes("real"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.fleet_synced and app.cluster_nodes is not None)
        assert app.cluster_nodes == ClusterNodes(real=("sandbox-real-1",))
        assert not app.screen.query_one(NodesBanner).display
        text = screen_text(app)
        assert "nodes are simulated" not in text and "serves stores" not in text


class ViewerBackend(RecordedBackend):
    """A user whose role may read Stores but not list Nodes."""

    def __init__(self) -> None:
        super().__init__(nodes=sandbox_nodes())
        self.nodes_asked = threading.Event()

    def nodes(self) -> ClusterNodes:
        self.nodes_asked.set()
        raise ApiException(status=403, reason="Forbidden")


async def test_nodes_that_may_not_be_listed_leave_no_banner_and_nothing_broken() -> None:
    backend = ViewerBackend()
    app = make_app(backend=backend)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.fleet_synced and backend.nodes_asked.is_set())
        await pilot.pause()
        assert app.cluster_nodes is None and app.cluster_problem == ""
        assert not app.screen.query_one(NodesBanner).display
        assert app.screen.query_one(StoreTable).row_count == 3
