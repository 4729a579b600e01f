"""A playbook run: summary line, play -> task -> host tree, raw output on demand."""

from __future__ import annotations

import time
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.widgets import Footer, RichLog

from storefleet_tui.screens.base import StorefleetScreen
from storefleet_tui.session import RAW_LINES, RunSession
from storefleet_tui.widgets.common.context_bar import ContextBar
from storefleet_tui.widgets.run.fleet_waves import FleetWaves
from storefleet_tui.widgets.run.run_summary import RunSummary
from storefleet_tui.widgets.run.run_tree import RunTree

REDRAW_SECONDS = 0.1
# Tree nodes cost ~0.5 ms each: a frame adds tasks in start order, a few at a time,
# for at most this long, so a burst of thousands of events never freezes the screen.
# The tree's repaint follows right after (10-20 ms on a busy machine): together they
# stay well under the 50 ms a key press may wait.
FRAME_BUDGET_SECONDS = 0.012
TASKS_PER_STEP = 8


class RunScreen(StorefleetScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="run.back", tooltip="Back; the run goes on"),
        Binding(
            "o",
            "toggle_raw",
            "Raw output",
            id="run.raw",
            tooltip="Show or hide ansible-playbook's output",
        ),
        Binding("x", "cancel", "Cancel run", id="run.cancel", tooltip="Stop the playbook"),
        Binding("e", "expand_all", "Expand all", id="run.expand", tooltip="Open every task"),
    ]

    show_raw: reactive[bool] = reactive(False)
    """Whether the raw output pane is visible under the tree."""

    def __init__(self, session: RunSession) -> None:
        super().__init__()
        self.session = session
        self._raw_written = 0

    def compose(self) -> ComposeResult:
        yield ContextBar(readonly=self.app.readonly)
        yield RunSummary()
        if self.session.fleet is not None:
            yield FleetWaves(id="fleet-waves")
        yield RunTree()
        yield RichLog(id="run-raw", max_lines=RAW_LINES, markup=False, highlight=False, wrap=False)
        yield Footer()

    def on_mount(self) -> None:
        self.redraw()
        # Events are folded into the model as they arrive; drawing is batched.
        self.set_interval(REDRAW_SECONDS, self.redraw)
        self.query_one(RunTree).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return not self.session.finished
        return super().check_action(action, parameters)

    def redraw(self) -> None:
        session = self.session
        if not session.dirty:
            return
        # The tree grows a frame at a time, long after the events came: full
        # collections are spaced out for it too (see storefleet_tui.garbage).
        self.app.full_collections.hold()
        deadline = time.perf_counter() + FRAME_BUDGET_SECONDS
        pending = session.dirty_tasks
        ordered = [uuid for uuid in session.model.tasks if uuid in pending]
        tree = self.query_one(RunTree)
        tree.update_failures(session.model)
        done = 0
        while done < len(ordered) and time.perf_counter() < deadline:
            tree.update_tasks(session.model, ordered[done : done + TASKS_PER_STEP])
            done += TASKS_PER_STEP
        session.dirty_tasks = pending - set(ordered[:done])
        session.dirty = bool(session.dirty_tasks)
        self.query_one(RunSummary).show(session)
        if session.fleet is not None:
            self.query_one(FleetWaves).show(session.fleet)
        if self.show_raw:
            self._write_raw()
        if session.finished:
            self.refresh_bindings()

    def _write_raw(self) -> None:
        session = self.session
        new = session.raw_total - self._raw_written
        if new <= 0:
            return
        log = self.query_one(RichLog)
        lines = list(session.raw)[-min(new, len(session.raw)) :]
        for line in lines:
            log.write(Text.from_ansi(line))
        self._raw_written = session.raw_total

    def watch_show_raw(self, visible: bool) -> None:
        self.query_one("#run-raw").set_class(visible, "-visible")
        if visible:
            self._write_raw()

    def action_toggle_raw(self) -> None:
        self.show_raw = not self.show_raw

    def action_expand_all(self) -> None:
        self.query_one(RunTree).root.expand_all()

    def action_cancel(self) -> None:
        handle = self.session.handle
        if handle is None or self.session.finished:
            return
        handle.cancel()
        self.notify("Cancel requested; the playbook stops at its next check.", severity="warning")

    def action_back(self) -> None:
        self.app.pop_screen()
