"""Pilot tests of help, the command palette, the platform screen and replays of past runs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from textual.command import CommandPalette

from storefleet_tui.commands import StorefleetCommands
from storefleet_tui.core.events import RunStatus
from storefleet_tui.screens.help import HelpScreen
from storefleet_tui.screens.platform import PlatformScreen
from storefleet_tui.screens.run import RunScreen
from storefleet_tui.screens.runs import RunsScreen
from storefleet_tui.screens.store_detail import StoreDetailScreen
from tests.unit.tui.driving import drawn, screen_text, settle
from tests.unit.tui.entry import make_app
from tests.unit.tui.recorded import events

pytestmark = pytest.mark.asyncio


async def test_question_mark_lists_the_keys_of_the_screen_below() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        await pilot.press("question_mark")
        await settle(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = screen_text(app)
        assert "Create a new store" in text and "command palette" in text
        await pilot.press("escape")
        await settle(pilot, lambda: not isinstance(app.screen, HelpScreen))


async def test_palette_opens_a_store_by_name() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        await pilot.press("ctrl+p")
        await settle(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"store crumb")
        await drawn(pilot, ["Open store crumb"])
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, StoreDetailScreen))
        assert app.screen.store_name == "crumb"


async def test_colon_opens_the_palette_too() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        await pilot.press("colon")
        await settle(pilot, lambda: isinstance(app.screen, CommandPalette))


async def test_platform_set_up_runs_site() -> None:
    app = make_app(stream="successful_run.jsonl")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        await pilot.press("p")
        await settle(pilot, lambda: isinstance(app.screen, PlatformScreen))
        await pilot.press("s")
        await settle(
            pilot, lambda: isinstance(app.screen, RunScreen) and bool(app.backend.launched)
        )
        assert app.backend.launched[0].playbook == "storefleet.platform.site"


async def test_past_run_replays_from_its_artifacts(tmp_path: Path) -> None:
    run_dir = tmp_path / "runs" / "20260110T090000.000000-store_create"
    (run_dir / "job_events").mkdir(parents=True)
    recorded = events("failed_run.jsonl")
    for event in recorded:
        (run_dir / "job_events" / f"{event['counter']}-{event['uuid']}.json").write_text(
            json.dumps(event)
        )
    (run_dir / "status").write_text("failed")
    app = make_app(tmp_path, artifacts_dir=tmp_path / "runs")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        await pilot.press("r")
        await settle(pilot, lambda: isinstance(app.screen, RunsScreen) and app.screen.past)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, RunScreen))
        session = app.screen.session
        await settle(pilot, lambda: session.finished)
        assert session.replay_of == run_dir.name
        assert session.model.status is RunStatus.FAILED
        assert session.model.events_seen == len(recorded)
        await drawn(pilot, ["database migration failed"])
    shutil.rmtree(tmp_path / "runs")


async def test_readonly_guard_covers_the_palette_and_every_screen() -> None:
    app = make_app(readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        offered = [name for name, _, _ in StorefleetCommands(app.screen)._commands()]
        assert offered[:3] == ["stores", "runs", "help"]
        assert "create" not in offered and "platform" not in offered
        app.push_screen(StoreDetailScreen("acme"))
        await settle(pilot, lambda: isinstance(app.screen, StoreDetailScreen))
        for action in ("delete", "rollback"):
            assert not await app.screen.run_action(action)
        app.push_screen(PlatformScreen())
        await settle(pilot, lambda: isinstance(app.screen, PlatformScreen))
        for action in ("set_up", "tear_down"):
            assert not await app.screen.run_action(action)
        await drawn(pilot, ["Readonly: both are off."])
        assert app.backend.launched == []
