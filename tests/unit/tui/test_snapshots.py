"""Snapshots of each screen, grouped by screen. Update with `make test-snapshot-update`
(pytest tests/unit/tui/test_snapshots.py --snapshot-update) and review the SVGs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from storefleet_tui.core.runner import RunRequest
from storefleet_tui.screens.run import RunScreen
from tests.unit.tui.driving import settle
from tests.unit.tui.entry import form_repo, make_app
from tests.unit.tui.recorded import fleet

SIZE = (120, 36)


async def synced(pilot: Pilot[Any]) -> None:
    await settle(pilot, lambda: pilot.app.fleet_synced)
    await pilot.pause()


class TestStores:
    def test_empty_fleet(self, snap_compare: Any) -> None:
        assert snap_compare(make_app(stores=[]), terminal_size=SIZE, run_before=synced)

    def test_fleet_ready_provisioning_failed(self, snap_compare: Any) -> None:
        assert snap_compare(make_app(stores=fleet()), terminal_size=SIZE, run_before=synced)

    def test_simulated_cluster_banner(self, snap_compare: Any) -> None:
        app = make_app(stores=fleet(), simulated=True)
        assert snap_compare(app, terminal_size=SIZE, run_before=synced)


class TestCreate:
    def test_validation_errors(self, snap_compare: Any, tmp_path: Path) -> None:
        async def type_bad_name(pilot: Pilot[Any]) -> None:
            await synced(pilot)
            await pilot.press("c")
            await pilot.pause()
            await pilot.press(*"My_Store")
            await pilot.pause()

        app = make_app(repo=form_repo(tmp_path))
        assert snap_compare(app, terminal_size=SIZE, run_before=type_bad_name)


class TestRun:
    @staticmethod
    def run_until(done: str) -> Any:
        async def before(pilot: Pilot[Any]) -> None:
            await synced(pilot)
            session = pilot.app.start_run(
                RunRequest("storefleet.platform.store_create", title="create demo")
            )
            if done == "finished":
                await settle(pilot, lambda: session.finished)
            else:
                await settle(pilot, lambda: session.model.events_seen >= 16)
            await settle(pilot, lambda: isinstance(pilot.app.screen, RunScreen))
            await pilot.pause(0.3)

        return before

    def test_run_in_progress(self, snap_compare: Any) -> None:
        app = make_app(stream="successful_run.jsonl", in_progress=True)
        assert snap_compare(app, terminal_size=SIZE, run_before=self.run_until("half"))

    def test_failed_run(self, snap_compare: Any) -> None:
        app = make_app(stream="failed_run.jsonl")
        assert snap_compare(app, terminal_size=SIZE, run_before=self.run_until("finished"))


class TestDetail:
    def test_masked_credentials(self, snap_compare: Any) -> None:
        async def open_acme(pilot: Pilot[Any]) -> None:
            await synced(pilot)
            pilot.app.screen.open_store("acme")
            await settle(pilot, lambda: getattr(pilot.app.screen, "details", None) is not None)
            await pilot.pause()

        assert snap_compare(make_app(), terminal_size=(120, 60), run_before=open_acme)

    def test_delete_confirm(self, snap_compare: Any) -> None:
        async def ask(pilot: Pilot[Any]) -> None:
            await synced(pilot)
            await pilot.press("ctrl+d")
            await pilot.pause()
            await pilot.press(*"ac")
            await pilot.pause()

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=ask)


class TestHelp:
    def test_help(self, snap_compare: Any) -> None:
        async def ask(pilot: Pilot[Any]) -> None:
            await synced(pilot)
            await pilot.press("question_mark")
            await pilot.pause()

        assert snap_compare(make_app(), terminal_size=SIZE, run_before=ask)
