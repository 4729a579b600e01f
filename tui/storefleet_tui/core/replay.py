"""Replay recorded events into a sink, as if the run were happening now."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any

from storefleet_tui.core.runner import EventSink


def final_status(events: list[Mapping[str, Any]]) -> str:
    for event in reversed(events):
        if event.get("event") == "playbook_on_stats":
            data = event.get("event_data") or {}
            return "failed" if (data.get("failures") or data.get("dark")) else "successful"
    return "failed"


class ReplayRun:
    """Feeds events from a thread; `pace` seconds between events (0: as fast as possible)."""

    def __init__(self, ident: str, events: Iterable[Mapping[str, Any]], pace: float = 0.0) -> None:
        self.ident = ident
        self.events = list(events)
        self.pace = pace
        self.status = "running"
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, sink: EventSink) -> ReplayRun:
        self._thread = threading.Thread(
            target=self._feed, args=(sink,), daemon=True, name=f"replay-{self.ident}"
        )
        self._thread.start()
        return self

    def _feed(self, sink: EventSink) -> None:
        for event in self.events:
            if self._cancel.is_set():
                self.status = "canceled"
                return
            sink(event)
            if self.pace:
                time.sleep(self.pace)
        self.status = final_status(self.events)

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> str:
        if self._thread is not None:
            self._thread.join(timeout)
        return self.status
