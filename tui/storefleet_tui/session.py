"""A run the app follows: its request, its event model, the tail of its raw output."""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from storefleet_tui.core.backend import PLAYBOOKS
from storefleet_tui.core.events import RunModel
from storefleet_tui.core.fleet_waves import FleetProgress
from storefleet_tui.core.runner import RunHandle, RunRequest

RAW_LINES = 5000
_ids = itertools.count(1)


@dataclass
class RunSession:
    request: RunRequest
    replay_of: str = ""
    session_id: int = field(default_factory=lambda: next(_ids))
    model: RunModel = field(default_factory=RunModel)
    handle: RunHandle | None = None
    ident: str = ""
    raw: deque[str] = field(default_factory=lambda: deque(maxlen=RAW_LINES))
    raw_total: int = 0
    dirty_tasks: set[str] = field(default_factory=set)
    dirty: bool = False
    ended_at: float | None = None
    error: str = ""
    inbox: deque[Mapping[str, Any]] = field(default_factory=deque)
    inbox_lock: threading.Lock = field(default_factory=threading.Lock)
    """Events handed over by the runner thread, not yet folded into the model."""
    fleet: FleetProgress | None = None
    """A fleet upgrade's waves and stores, when the run is one."""

    def __post_init__(self) -> None:
        if self.fleet is None and self.request.playbook == PLAYBOOKS["fleet_upgrade"]:
            self.fleet = FleetProgress(self.request.limit)

    def deliver(self, event: Mapping[str, Any]) -> bool:
        """From the runner thread: queue an event; True when a message must be posted."""
        with self.inbox_lock:
            self.inbox.append(event)
            return len(self.inbox) == 1

    def take(self, limit: int) -> tuple[list[Mapping[str, Any]], bool]:
        """From the app thread: up to `limit` events, and whether more are waiting."""
        with self.inbox_lock:
            batch = [self.inbox.popleft() for _ in range(min(limit, len(self.inbox)))]
            return batch, bool(self.inbox)

    @property
    def title(self) -> str:
        prefix = "replay · " if self.replay_of else ""
        return prefix + (self.request.title or self.request.playbook)

    @property
    def finished(self) -> bool:
        return self.ended_at is not None

    def ingest(self, event: Mapping[str, Any]) -> None:
        touched = self.model.ingest(event)
        if self.fleet is not None:
            self.fleet.ingest(event)
        if touched:
            self.dirty_tasks.add(touched)
        stdout = event.get("stdout")
        if stdout:
            for line in str(stdout).splitlines():
                self.raw.append(line)
                self.raw_total += 1
        self.dirty = True

    def finish(self, status: str) -> None:
        self.model.finish(status)
        if self.fleet is not None:
            self.fleet.finish()
        self.ended_at = time.monotonic()
        self.dirty = True
