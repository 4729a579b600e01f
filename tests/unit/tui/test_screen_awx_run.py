"""Pilot tests of the TUI on the AWX backend, against the AWX test server.

A store created from the form becomes an AWX job of store-create; the run screen
shows the recorded job's events as the tree and counts the local path shows for the
same playbook (tests/fixtures/events/awx_probe_run.jsonl), and AWX's refusals in plain
words. The fleet comes from recorded Store objects (RecordedBackend)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.message import Message
from textual.notifications import Notify
from textual.widgets import Input

from storefleet_tui.app import StorefleetApp
from storefleet_tui.core.awx.backend import AwxBackend
from storefleet_tui.core.awx.client import AwxClient
from storefleet_tui.core.backend import PLAYBOOKS
from storefleet_tui.core.events import RunModel, RunStatus
from storefleet_tui.core.runner import RunRequest
from storefleet_tui.core.settings import load
from storefleet_tui.screens.create import CreateScreen
from storefleet_tui.screens.fleet_upgrade import FleetUpgradeScreen
from storefleet_tui.screens.run import RunScreen
from storefleet_tui.screens.runs import RunsScreen
from storefleet_tui.widgets.fleet.store_table import StoreTable
from storefleet_tui.widgets.run.run_summary import RunSummary
from storefleet_tui.widgets.run.run_tree import RunTree
from tests.awx_server import AwxTestServer
from tests.awx_server.configured import OPERATOR
from tests.unit.tui.driving import mounted, screen_text, settle
from tests.unit.tui.entry import NOW, REPO, form_repo
from tests.unit.tui.recorded import RecordedBackend, events

pytestmark = pytest.mark.asyncio


def awx_app(
    awx: AwxTestServer, tmp_path: Path, token: str = OPERATOR, repo: Path | None = None
) -> StorefleetApp:
    settings = load(
        Path("/nonexistent/settings.yaml"),
        environ={"STOREFLEET_AWX_TOKEN": token},
        repo=repo or form_repo(tmp_path),
        artifacts_dir=tmp_path / "runs",
        awx_url=awx.url,
        awx_poll_seconds=0.02,
    )
    backend = AwxBackend(settings, client=AwxClient(awx.url, token), cluster=RecordedBackend())
    return StorefleetApp(settings, backend, clock=lambda: NOW)


def runner_path() -> RunModel:
    model = RunModel()
    for event in events("awx_probe_run.jsonl"):
        model.ingest(event)
    return model


async def test_create_from_the_form_runs_the_awx_job_and_shows_its_events(
    awx: AwxTestServer, tmp_path: Path
) -> None:
    app = awx_app(awx, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        assert "AWX 127.0.0.1" in app.target_label
        await pilot.press("c")
        await settle(pilot, lambda: isinstance(app.screen, CreateScreen))
        await pilot.press("s", "h", "o", "p", "enter")
        await settle(pilot, lambda: isinstance(app.screen, RunScreen))
        session = app.screen.session
        await settle(pilot, lambda: session.finished, timeout=10)
        await pilot.pause(0.3)
        assert session.ident.startswith("awx job ")
        assert session.model.status is RunStatus.SUCCESSFUL
        expected = runner_path()
        assert session.model.counts == expected.counts
        assert [p.name for p in session.model.plays.values()] == [
            p.name for p in expected.plays.values()
        ]
        assert [t.name for t in session.model.tasks.values()] == [
            t.name for t in expected.tasks.values()
        ]
        tree = app.screen.query_one(RunTree)
        assert tree.task_count == 1
        text = screen_text(app)
        assert "PLAY localhost" in text and "ansible.builtin.debug" in text
        assert str(app.screen.query_one(RunSummary).render()).startswith("successful")
        await pilot.press("o")
        await pilot.pause(0.3)
        assert "would create store acme on plan pro" in screen_text(app)
    launched = [r for r in awx.requests if r.path.endswith("/launch/") and r.method == "POST"]
    assert launched[0].body["extra_vars"]["store_name"] == "shop"


async def test_missing_answers_are_shown_as_awx_names_them(
    awx: AwxTestServer, tmp_path: Path
) -> None:
    app = awx_app(awx, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        session = app.start_run(
            RunRequest(PLAYBOOKS["create"], {"store_plan": "small"}, title="create")
        )
        await settle(pilot, lambda: session.finished, timeout=10)
        await pilot.pause(0.2)
        assert session.model.status is RunStatus.FAILED
        summary = str(app.screen.query_one(RunSummary).render())
        assert "AWX refused to launch store-create: 'store_name' value missing" in summary


async def test_a_user_who_may_not_launch_is_told_why(awx: AwxTestServer, tmp_path: Path) -> None:
    app = awx_app(awx, tmp_path, token="viewer-token")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        session = app.start_run(
            RunRequest(PLAYBOOKS["delete"], {"store_name": "acme"}, title="delete")
        )
        await settle(pilot, lambda: session.finished, timeout=10)
        await pilot.pause(0.2)
        summary = str(app.screen.query_one(RunSummary).render())
        assert "AWX refused (403)" in summary
        assert "viewer-token" not in screen_text(app)


async def test_past_awx_jobs_are_in_the_runs_screen_and_open_with_their_events(
    awx: AwxTestServer, tmp_path: Path
) -> None:
    app = awx_app(awx, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        await pilot.press("r")
        await settle(pilot, lambda: isinstance(app.screen, RunsScreen) and bool(app.screen.past))
        assert "awx job 2" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, RunScreen))
        session = app.screen.session
        await settle(pilot, lambda: session.finished, timeout=10)
        assert session.model.counts == runner_path().counts


async def test_runs_screen_says_when_awx_refuses_the_list(
    awx: AwxTestServer, tmp_path: Path
) -> None:
    app = awx_app(awx, tmp_path, token="expired-token-2f81")
    seen: list[Message] = []
    async with app.run_test(size=(160, 40), message_hook=seen.append) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        await pilot.press("r")

        def notes() -> list[str]:
            return [m.notification.message for m in seen if isinstance(m, Notify)]

        await settle(pilot, lambda: bool(notes()))
        assert notes()[0].startswith("Past runs unavailable: AWX did not accept the token (401)")
        assert "expired-token-2f81" not in notes()[0]
        assert isinstance(app.screen, RunsScreen)


async def test_a_fleet_upgrade_runs_the_fleet_upgrade_job_on_the_selected_stores(
    awx: AwxTestServer, tmp_path: Path
) -> None:
    """The selection becomes the job's limit, the form's values the survey's answers."""
    app = awx_app(awx, tmp_path, repo=REPO)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        table = app.screen.query_one(StoreTable)
        await pilot.press("space", "down", "down", "space")
        await settle(pilot, lambda: len(table.selection) == 2)
        await pilot.press("u")
        await settle(pilot, lambda: mounted(app, FleetUpgradeScreen, "#upgrade-backend-tag"))
        form = app.screen
        for field, value in {"backend-tag": "0.2.0", "waves": "1, 50%, 100%"}.items():
            form.query_one(f"#upgrade-{field}", Input).value = value
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, RunScreen))
        [job] = [j.record for j in awx.state.jobs.values() if j.record["name"] == "fleet-upgrade"]
        assert job["limit"] == "acme,crumb"
        assert json.loads(job["extra_vars"]) == {
            "store_backend_image_tag": "0.2.0",
            "store_storefront_image_tag": "",
            "fleet_waves": "1,50%,100%",
            "fleet_max_fail_percentage": 0,
        }
