"""Pilot tests of the run screen, on event streams recorded from real playbook runs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.message import Message
from textual.widgets import DataTable, Tree
from textual.widgets.tree import TreeNode

from storefleet_tui.core.events import RunStatus
from storefleet_tui.core.runner import RunRequest
from storefleet_tui.messages import RunEvents, RunFinished
from storefleet_tui.screens.run import RunScreen
from storefleet_tui.screens.runs import RunsScreen
from storefleet_tui.widgets.run.run_summary import RunSummary
from storefleet_tui.widgets.run.run_tree import RunTree
from tests.unit.tui.driving import drawn, mounted, settle
from tests.unit.tui.entry import make_app
from tests.unit.tui.recorded import events, long_run

pytestmark = pytest.mark.asyncio
REQUEST = RunRequest(
    "storefleet.platform.store_create", {"store_name": "demo"}, title="create demo"
)


async def test_failed_run_shows_the_failing_task_and_its_message_first() -> None:
    app = make_app(stream="failed_run.jsonl")
    seen: list[Message] = []
    async with app.run_test(size=(140, 40), message_hook=seen.append) as pilot:
        session = app.start_run(REQUEST)
        await settle(pilot, lambda: session.finished and not session.dirty)
        await drawn(pilot, ['database migration failed: relation "product" already exists'])
        assert session.model.status is RunStatus.FAILED
        tree = app.screen.query_one(RunTree)
        first = tree.root.children[0]
        assert "FAILED  1" in str(first.label)
        assert "Fail when the database migration breaks" in str(first.children[0].label)
        assert str(app.screen.query_one(RunSummary).render()).startswith("failed")
        recorded = len(events("failed_run.jsonl"))
        assert session.model.events_seen == recorded
        assert any(isinstance(m, RunEvents) for m in seen)
        assert any(isinstance(m, RunFinished) and m.status == "failed" for m in seen)


async def test_tree_has_plays_tasks_hosts_with_items_and_retries() -> None:
    app = make_app(stream="successful_run.jsonl")
    async with app.run_test(size=(140, 50)) as pilot:
        session = app.start_run(REQUEST)
        await settle(pilot, lambda: session.finished and not session.dirty)
        assert session.model.status is RunStatus.SUCCESSFUL
        await pilot.press("e")
        expanded = ["PLAY Inspect the cluster", "PLAY Provision the store", "3 items", "2 retries"]
        await drawn(pilot, expanded, hidden=["FAILED"])


async def test_raw_output_toggles() -> None:
    app = make_app(stream="successful_run.jsonl")
    async with app.run_test(size=(140, 40)) as pilot:
        session = app.start_run(REQUEST)
        await settle(pilot, lambda: session.finished)
        raw = app.screen.query_one("#run-raw")
        assert not raw.display
        await pilot.press("o")
        await settle(pilot, lambda: raw.display)
        await drawn(pilot, ["PLAY RECAP"])


async def test_cancel_stops_a_run_in_progress() -> None:
    app = make_app(stream="successful_run.jsonl", in_progress=True)
    async with app.run_test(size=(140, 40)) as pilot:
        session = app.start_run(REQUEST)
        await settle(pilot, lambda: session.handle is not None and session.model.events_seen > 0)
        await drawn(pilot, ["Cancel run"])
        await pilot.press("x")
        await settle(pilot, lambda: session.finished)
        assert session.model.status is RunStatus.CANCELED
        assert session.model.events_seen < len(events("successful_run.jsonl"))
        await drawn(pilot, hidden=["Cancel run"])


async def test_escape_leaves_the_run_going_and_runs_list_reopens_it() -> None:
    app = make_app(stream="successful_run.jsonl")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        session = app.start_run(REQUEST)
        await settle(pilot, lambda: isinstance(app.screen, RunScreen))
        await pilot.press("escape")
        await settle(pilot, lambda: session.finished)
        await pilot.press("r")
        await settle(pilot, lambda: mounted(app, RunsScreen, "#runs-table"))
        await settle(pilot, lambda: app.screen.query_one(DataTable).row_count > 0)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, RunScreen))
        assert app.screen.session is session


async def test_a_burst_of_events_is_drawn_over_frames_and_long_runs_fold() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        from storefleet_tui.session import RunSession

        session = RunSession(REQUEST)
        app.sessions[session.session_id] = session
        await app.push_screen(RunScreen(session))
        sink = app._sink(session.session_id)
        for event in long_run(2000):
            sink(event)
        await settle(pilot, lambda: session.model.events_seen > 1000)
        tree = app.screen.query_one(RunTree)
        # Folded into the model at once, drawn a frame budget at a time.
        assert len(session.model.tasks) > tree.task_count
        assert app.full_collections.held, "full collections spaced out meanwhile"
        await settle(pilot, lambda: not session.dirty, timeout=60)
        assert tree.task_count == len(session.model.tasks) > 200
        plays = list(tree._plays.values())
        assert plays[-1].is_expanded and not plays[0].is_expanded
        await settle(pilot, lambda: not app.full_collections.held)


async def test_label_widths_are_those_of_the_labels_rendered() -> None:
    app = make_app(stream="failed_run.jsonl")
    async with app.run_test(size=(140, 50)) as pilot:
        session = app.start_run(REQUEST)
        await settle(pilot, lambda: session.finished and not session.dirty)
        tree = app.screen.query_one(RunTree)
        for expanded in (False, True):
            if expanded:
                tree.root.expand_all()
            nodes = list(descendants(tree.root))
            assert len(nodes) > 10
            assert any(node.allow_expand and node.is_expanded == expanded for node in nodes)
            for node in nodes:
                assert tree.get_label_width(node) == Tree.get_label_width(tree, node), node


def descendants(node: TreeNode[str]) -> Iterator[TreeNode[str]]:
    for child in node.children:
        yield child
        yield from descendants(child)
