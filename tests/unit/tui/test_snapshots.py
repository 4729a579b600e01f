"""Snapshots of each screen, grouped by screen. Update with `make test-snapshot-update`
(pytest tests/unit/tui/test_snapshots.py --snapshot-update) and review the SVGs.

Each `run_before` waits until the screen draws the state the snapshot is of, never for a
fixed time: on a loaded machine the app may take seconds to get there. What would still
change with time is held still: the clock (the test entry app), blinking cursors, and
how long a toast stays.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from storefleet_tui.core.runner import RunRequest
from storefleet_tui.screens.create import CreateScreen
from storefleet_tui.screens.delete_confirm import DeleteConfirmScreen
from storefleet_tui.screens.run import RunScreen
from storefleet_tui.screens.store_detail import StoreDetailScreen
from storefleet_tui.screens.stores import StoresScreen
from storefleet_tui.widgets.fleet.store_table import StoreTable
from tests.unit.tui.driving import drawn, mounted, settle, steady_cursors
from tests.unit.tui.entry import form_repo, make_app
from tests.unit.tui.recorded import events, fleet, sandbox_nodes

SIZE = (120, 36)
# How long a state may take to be drawn before the test fails: on a loaded machine one
# snapshot test has taken minutes. Only a failing test waits this long.
PATIENCE = 300.0
# Longer than any run_before on a loaded machine: a toast in a snapshot stays drawn.
TOAST_SECONDS = 600.0


async def synced(pilot: Pilot[Any]) -> None:
    app = pilot.app
    await settle(
        pilot, lambda: app.fleet_synced and mounted(app, StoresScreen, "#stores"), PATIENCE
    )
    table = app.screen.query_one(StoreTable)
    await settle(pilot, lambda: table.row_count == len(app.fleet), timeout=PATIENCE)
    await drawn(pilot, [app.target_label], timeout=PATIENCE)


class TestStores:
    def test_empty_fleet(self, snap_compare: Any) -> None:
        async def empty(pilot: Pilot[Any]) -> None:
            await synced(pilot)
            await drawn(pilot, ["No stores yet. Press c to create one."], timeout=PATIENCE)

        assert snap_compare(make_app(stores=[]), terminal_size=SIZE, run_before=empty)

    def test_fleet_ready_provisioning_failed(self, snap_compare: Any) -> None:
        assert snap_compare(make_app(stores=fleet()), terminal_size=SIZE, run_before=synced)

    def test_simulated_cluster_banner(self, snap_compare: Any) -> None:
        async def banner(pilot: Pilot[Any]) -> None:
            await synced(pilot)
            await drawn(pilot, ["Simulated cluster: nodes are simulated"], timeout=PATIENCE)

        app = make_app(stores=fleet(), simulated=True)
        assert snap_compare(app, terminal_size=SIZE, run_before=banner)

    def test_real_and_simulated_nodes_banner(self, snap_compare: Any) -> None:
        async def banner(pilot: Pilot[Any]) -> None:
            await synced(pilot)
            await drawn(pilot, ["Real node sandbox-real-1 serves stores."], timeout=PATIENCE)

        app = make_app(stores=fleet(), nodes=sandbox_nodes())
        assert snap_compare(app, terminal_size=SIZE, run_before=banner)


class TestCreate:
    def test_validation_errors(self, snap_compare: Any, tmp_path: Path) -> None:
        async def type_bad_name(pilot: Pilot[Any]) -> None:
            app = pilot.app
            await synced(pilot)
            await pilot.press("c")
            await settle(pilot, lambda: mounted(app, CreateScreen, "#field-store_name"), PATIENCE)
            name = app.screen.query_one("#field-store_name")
            await settle(pilot, lambda: name.has_focus, timeout=PATIENCE)
            await pilot.press(*"My_Store")
            await drawn(pilot, ["My_Store", "has uppercase letters ('M', 'S')"], timeout=PATIENCE)
            steady_cursors(app)

        app = make_app(repo=form_repo(tmp_path))
        assert snap_compare(app, terminal_size=SIZE, run_before=type_bad_name)


class TestRun:
    @staticmethod
    def run_until(stream: str, finished: bool) -> Any:
        async def before(pilot: Pilot[Any]) -> None:
            app = pilot.app
            app.NOTIFICATION_TIMEOUT = TOAST_SECONDS
            await synced(pilot)
            session = app.start_run(
                RunRequest("storefleet.platform.store_create", title="create demo")
            )
            await settle(pilot, lambda: isinstance(app.screen, RunScreen), timeout=PATIENCE)
            # Every event the run delivers folded in, and every task in the tree.
            delivered = len(events(stream)) // (1 if finished else 2)
            await settle(
                pilot,
                lambda: (
                    session.model.events_seen == delivered
                    and session.finished == finished
                    and not session.dirty
                ),
                timeout=PATIENCE,
            )
            if finished:
                await drawn(pilot, ["create demo: failed"], hidden=["Cancel run"], timeout=PATIENCE)
            else:
                await drawn(pilot, ["running", "Cancel run"], timeout=PATIENCE)

        return before

    def test_run_in_progress(self, snap_compare: Any) -> None:
        stream = "successful_run.jsonl"
        app = make_app(stream=stream, in_progress=True)
        before = self.run_until(stream, finished=False)
        assert snap_compare(app, terminal_size=SIZE, run_before=before)

    def test_failed_run(self, snap_compare: Any) -> None:
        stream = "failed_run.jsonl"
        app = make_app(stream=stream)
        before = self.run_until(stream, finished=True)
        assert snap_compare(app, terminal_size=SIZE, run_before=before)


class TestFleetUpgrade:
    def test_waves_gates_and_a_rollback(self, snap_compare: Any) -> None:
        """The recorded fleet upgrade: bravo fails its gate, delta's wave never starts."""
        stream = "fleet_upgrade_run.jsonl"

        async def before(pilot: Pilot[Any]) -> None:
            app = pilot.app
            app.NOTIFICATION_TIMEOUT = TOAST_SECONDS
            await synced(pilot)
            request = RunRequest(
                "storefleet.platform.fleet_upgrade",
                title="fleet upgrade",
                limit=("alpha", "bravo", "charlie", "delta"),
            )
            session = app.start_run(request)
            await settle(pilot, lambda: isinstance(app.screen, RunScreen), timeout=PATIENCE)
            await settle(
                pilot,
                lambda: (
                    session.model.events_seen == len(events(stream))
                    and session.finished
                    and not session.dirty
                ),
                timeout=PATIENCE,
            )
            await drawn(pilot, ["fleet upgrade: failed", "not run"], timeout=PATIENCE)

        app = make_app(stream=stream)
        assert snap_compare(app, terminal_size=SIZE, run_before=before)


class TestDetail:
    def test_masked_credentials(self, snap_compare: Any) -> None:
        async def open_acme(pilot: Pilot[Any]) -> None:
            app = pilot.app
            await synced(pilot)
            app.screen.open_store("acme")
            await settle(
                pilot,
                lambda: isinstance(app.screen, StoreDetailScreen) and app.screen.details,
                timeout=PATIENCE,
            )
            await drawn(
                pilot, ["acme-store-postgresql-0", "Upgrade complete", "validate"], timeout=PATIENCE
            )

        assert snap_compare(make_app(), terminal_size=(120, 60), run_before=open_acme)

    def test_delete_confirm(self, snap_compare: Any) -> None:
        async def ask(pilot: Pilot[Any]) -> None:
            app = pilot.app
            await synced(pilot)
            await pilot.press("ctrl+d")
            await settle(pilot, lambda: mounted(app, DeleteConfirmScreen, "#delete-name"), PATIENCE)
            typed = app.screen.query_one("#delete-name")
            await settle(pilot, lambda: typed.has_focus, timeout=PATIENCE)
            await pilot.press(*"ac")
            await settle(pilot, lambda: typed.value == "ac", timeout=PATIENCE)
            await drawn(pilot, ["Delete store acme?"], timeout=PATIENCE)
            steady_cursors(app)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=ask)


class TestHelp:
    def test_help(self, snap_compare: Any) -> None:
        async def ask(pilot: Pilot[Any]) -> None:
            await synced(pilot)
            await pilot.press("question_mark")
            await drawn(pilot, ["storefleet keys", "Create a new store"], timeout=PATIENCE)

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=ask)
