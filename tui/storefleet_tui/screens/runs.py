"""Runs: those of this session, and past ones from the artifacts directory, to replay."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

from storefleet_tui.core.artifacts import PastRun
from storefleet_tui.screens.base import StorefleetScreen
from storefleet_tui.widgets.common.context_bar import ContextBar


class RunsScreen(StorefleetScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="runs.back", tooltip="Back"),
        Binding(
            "enter",
            "open",
            "Open / replay",
            id="runs.open",
            tooltip="Open the run, replaying a past one",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.past: dict[str, PastRun] = {}

    def compose(self) -> ComposeResult:
        yield ContextBar(readonly=self.app.readonly)
        yield Static("Runs", classes="section-title")
        yield DataTable(id="runs-table", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Run", "Playbook", "Status")
        for session in reversed(list(self.app.sessions.values())):
            table.add_row(
                f"session {session.session_id}",
                session.title,
                session.model.status.value,
                key=f"s{session.session_id}",
            )
        self.load_past()

    @work(thread=True, exclusive=True, group="runs-list")
    def load_past(self) -> None:
        try:
            runs = self.app.backend.past_runs()
        except Exception as error:  # AWX unreachable or refusing: say so, keep the screen
            self.app.call_from_thread(
                self.notify, f"Past runs unavailable: {error}", severity="error"
            )
            return
        self.app.call_from_thread(self._show_past, runs)

    def _show_past(self, runs: list[PastRun]) -> None:
        table = self.query_one(DataTable)
        for run in runs:
            self.past[run.ident] = run
            table.add_row(run.ident, run.playbook, run.status, key=f"p{run.ident}")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.row_key.value or "")

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            self._open(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or "")

    def _open(self, key: str) -> None:
        from storefleet_tui.screens.run import RunScreen

        if key.startswith("s"):
            session = self.app.sessions[int(key[1:])]
            self.app.push_screen(RunScreen(session))
        elif key.startswith("p"):
            self.app.replay(self.past[key[1:]])

    def action_back(self) -> None:
        self.app.pop_screen()
