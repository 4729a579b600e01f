"""The Storefleet application: holds the fleet and the runs, routes app-wide messages."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive

from storefleet_tui.commands import StorefleetCommands
from storefleet_tui.core.artifacts import PastRun
from storefleet_tui.core.backend import Backend
from storefleet_tui.core.nodes import ClusterNodes
from storefleet_tui.core.runner import EventSink, RunHandle, RunRequest
from storefleet_tui.core.settings import Settings
from storefleet_tui.core.stores import Store, StoreChange
from storefleet_tui.garbage import QUIET_SECONDS, full_collections
from storefleet_tui.messages import (
    ClusterConnected,
    ClusterUnavailable,
    NodesListed,
    RunEvents,
    RunFinished,
    RunStarted,
    StoresChanged,
)
from storefleet_tui.session import RunSession

Clock = Callable[[], datetime]
# Events are folded in slices: taken 100 at a time for as long as 15 ms, then the
# event loop gets a turn (keys, timers, repaints) before the next slice.
INGEST_BATCH = 100
INGEST_SLICE_SECONDS = 0.015
Starter = Callable[[EventSink], RunHandle]


class StorefleetApp(App[None]):
    CSS_PATH: ClassVar[list[str | PurePath]] = ["global.tcss", "app.tcss"]
    TITLE = "storefleet"
    COMMANDS = App.COMMANDS | {StorefleetCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="help", tooltip="Keys of this screen"),
        Binding(
            "colon", "command_palette", "Command", id="command", tooltip="Run a command by name"
        ),
        # Declared here because the `:` binding above replaces Textual's own ctrl+p.
        Binding(
            "ctrl+p",
            "command_palette",
            "Palette",
            id="palette",
            show=False,
            priority=True,
            tooltip="Run a command by name",
        ),
        Binding("ctrl+q", "quit", "Quit", id="quit", tooltip="Leave storefleet"),
    ]

    fleet_version: reactive[int] = reactive(0)
    """Bumped whenever `fleet` changes; screens watch it to redraw."""

    target_label: reactive[str] = reactive("connecting…")
    """The inventory and kube context every screen shows in its context bar."""

    cluster_problem: reactive[str] = reactive("")
    """Why the cluster cannot be read, or empty when it can."""

    cluster_simulated: reactive[bool] = reactive(False)
    """The inventory's cluster has simulated nodes (the sandbox): nothing is served."""

    cluster_nodes: reactive[ClusterNodes | None] = reactive(None)
    """The cluster's real and simulated nodes, or None until (or unless) they are listed."""

    def __init__(self, settings: Settings, backend: Backend, clock: Clock | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.backend = backend
        self.clock: Clock = clock or (lambda: datetime.now(UTC))
        self.fleet: dict[str, Store] = {}
        self.fleet_synced = False
        self.store_watch_down = False
        self.sessions: dict[int, RunSession] = {}
        self._stop_watch = threading.Event()
        # Spaced out while a run comes in: each walks the whole run, a stall.
        self.full_collections = full_collections

    @property
    def readonly(self) -> bool:
        return self.settings.readonly

    def on_mount(self) -> None:
        # Screens import this module for their typed `app`: the app imports them late.
        from storefleet_tui.screens.stores import StoresScreen

        self.target_label = f"{self.settings.inventory} · connecting…"
        self.push_screen(StoresScreen())
        self.connect_cluster()
        self.set_interval(QUIET_SECONDS / 2, self.full_collections.release_when_quiet)

    def on_unmount(self) -> None:
        self._stop_watch.set()
        self.full_collections.release()
        for session in self.sessions.values():
            if session.handle is not None and not session.finished:
                session.handle.cancel()

    def watch_target_label(self, label: str) -> None:
        self.sub_title = label

    def watch_cluster_simulated(self, simulated: bool) -> None:
        self.set_class(simulated, "-simulated")

    # -- cluster -------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="cluster")
    def connect_cluster(self) -> None:
        try:
            target = self.backend.connect()
        except Exception as error:  # shown on screen; the app stays usable for replays
            self.post_message(ClusterUnavailable(str(error)))
            return
        self.post_message(ClusterConnected(target))
        try:
            self.backend.watch_stores(self._store_changed, self._stop_watch)
        except Exception as error:
            self.post_message(ClusterUnavailable(f"watch stopped: {error}"))

    def _store_changed(self, change: StoreChange) -> None:
        # From the watch thread: post, never wait on the UI.
        self.post_message(StoresChanged(change))

    @work(thread=True, exclusive=True, group="nodes")
    def list_nodes(self) -> None:
        try:
            nodes = self.backend.nodes()
        except Exception:  # a viewer may not list Nodes: the banner then says nothing of them
            return
        self.post_message(NodesListed(nodes))

    def on_cluster_connected(self, message: ClusterConnected) -> None:
        self.target_label = message.target.label
        self.cluster_simulated = message.target.simulated
        self.cluster_problem = ""
        self.list_nodes()

    def on_nodes_listed(self, message: NodesListed) -> None:
        self.cluster_nodes = message.nodes

    def on_cluster_unavailable(self, message: ClusterUnavailable) -> None:
        self.cluster_problem = message.reason
        self.fleet_version += 1

    def on_stores_changed(self, message: StoresChanged) -> None:
        change = message.change
        if change.kind == "RECONNECTING":
            # The table keeps the last stores it saw; the top line says they may be stale.
            self.store_watch_down = True
            self.cluster_problem = (
                f"store watch: {change.reason}; reconnecting in {change.retry_in:g} s"
            )
        elif change.kind == "SYNCED":
            self.fleet = {store.name: store for store in change.stores}
            self.fleet_synced = True
            self.cluster_problem = ""
            if self.store_watch_down:
                self.store_watch_down = False
                self.notify("Store watch reconnected: the table is current again.")
        elif change.store is not None and change.kind == "DELETED":
            self.fleet.pop(change.store.name, None)
        elif change.store is not None:
            self.fleet[change.store.name] = change.store
        self.fleet_version += 1

    # -- runs ----------------------------------------------------------------------

    def start_run(self, request: RunRequest) -> RunSession:
        """Launch a playbook and open its run screen."""
        return self.follow(RunSession(request), lambda sink: self.backend.launch(request, sink))

    def replay(self, run: PastRun) -> RunSession:
        """Replay a past run from its artifacts into a run screen."""
        session = RunSession(RunRequest(run.playbook, title=run.playbook), replay_of=run.ident)
        return self.follow(session, lambda sink: self.backend.replay(run, sink))

    def follow(self, session: RunSession, start: Starter) -> RunSession:
        """Open a run screen on `session` and feed it from whatever `start` launches."""
        from storefleet_tui.screens.run import RunScreen

        self.sessions[session.session_id] = session
        self._launch(session, start)
        self.push_screen(RunScreen(session))
        return session

    @work(thread=True, group="runs")
    def _launch(self, session: RunSession, start: Starter) -> None:
        try:
            handle = start(self._sink(session.session_id))
        except Exception as error:  # shown on the run screen
            session.error = str(error)
            self.post_message(RunFinished(session.session_id, "failed"))
            return
        session.handle = handle
        self.post_message(RunStarted(session.session_id, handle.ident))
        status = handle.wait()
        # A handle that stopped following its run says why (AWX unreachable ...).
        session.error = session.error or str(getattr(handle, "problem", ""))
        self.post_message(RunFinished(session.session_id, status))

    def _sink(self, session_id: int) -> EventSink:
        session = self.sessions[session_id]

        def hand_over(event: Mapping[str, Any]) -> None:
            # Returns at once: runner's thread must never wait on the UI.
            if session.deliver(event):
                self.post_message(RunEvents(session_id))

        return hand_over

    def on_run_started(self, message: RunStarted) -> None:
        self.sessions[message.session_id].ident = message.ident

    async def on_run_events(self, message: RunEvents) -> None:
        # Cheap: fold into the model; the run screen redraws on its own timer.
        self.full_collections.hold()  # the model grows
        session = self.sessions[message.session_id]
        deadline = time.perf_counter() + INGEST_SLICE_SECONDS
        more = True
        while more and time.perf_counter() < deadline:
            batch, more = session.take(INGEST_BATCH)
            for event in batch:
                session.ingest(event)
        if more:
            # Messages already queued are handled without a pause: yield first, so
            # timers and keys queue up ahead of the next slice.
            await asyncio.sleep(0)
            self.post_message(RunEvents(message.session_id))

    def on_run_finished(self, message: RunFinished) -> None:
        session = self.sessions[message.session_id]
        batch, _ = session.take(len(session.inbox))
        for event in batch:
            session.ingest(event)
        session.finish(message.status)
        self.notify(
            f"{session.title}: {message.status}",
            severity="information" if message.status == "successful" else "error",
        )

    # -- actions -------------------------------------------------------------------

    def action_help(self) -> None:
        from storefleet_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))
