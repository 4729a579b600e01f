"""A playbook run as a tree: play -> task -> host results, built from runner events.

ansible-runner events carry a `uuid` and a `parent_uuid`: a play's parent is the
playbook, a task's parent is its play, a host result's parent is its task. Loop items
and retries arrive as their own events under the task; they are folded into the host.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

Event = Mapping[str, Any]


class Outcome(StrEnum):
    """Where a host stands on a task; ordered from least to most alarming."""

    RUNNING = "running"
    SKIPPED = "skipped"
    OK = "ok"
    CHANGED = "changed"
    IGNORED = "ignored"
    RETRYING = "retrying"
    UNREACHABLE = "unreachable"
    FAILED = "failed"

    @property
    def is_failure(self) -> bool:
        return self in (Outcome.FAILED, Outcome.UNREACHABLE)


class RunStatus(StrEnum):
    RUNNING = "running"
    SUCCESSFUL = "successful"
    FAILED = "failed"
    CANCELED = "canceled"


_FINAL_EVENTS = {
    "runner_on_ok": Outcome.OK,
    "runner_on_failed": Outcome.FAILED,
    "runner_on_skipped": Outcome.SKIPPED,
    "runner_on_unreachable": Outcome.UNREACHABLE,
}
_ITEM_EVENTS = {
    "runner_item_on_ok": Outcome.OK,
    "runner_item_on_failed": Outcome.FAILED,
    "runner_item_on_skipped": Outcome.SKIPPED,
}


def parse_time(text: Any) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def result_message(res: Mapping[str, Any]) -> str:
    """The line a person needs from a task result: msg, else stderr, else the reason."""
    for key in ("msg", "stderr", "reason", "module_stderr"):
        value = res.get(key)
        if value:
            return str(value).strip()
    results = res.get("results")
    if isinstance(results, list):
        for item in results:
            if isinstance(item, Mapping) and item.get("failed"):
                return result_message(item)
    return ""


def _item_label(item: Any) -> str:
    if isinstance(item, Mapping):
        for key in ("name", "key", "item"):
            if key in item:
                return str(item[key])
    return str(item)


@dataclass
class ItemResult:
    label: str
    outcome: Outcome
    message: str = ""


@dataclass
class HostResult:
    host: str
    outcome: Outcome = Outcome.RUNNING
    changed: bool = False
    message: str = ""
    duration: float | None = None
    retries: int = 0
    items: list[ItemResult] = field(default_factory=list)


@dataclass
class TaskNode:
    uuid: str
    name: str
    action: str
    play_uuid: str
    started: datetime | None = None
    finished: datetime | None = None
    hosts: dict[str, HostResult] = field(default_factory=dict)

    @property
    def outcome(self) -> Outcome:
        if not self.hosts:
            return Outcome.RUNNING
        return max((h.outcome for h in self.hosts.values()), key=_severity)

    @property
    def duration(self) -> float | None:
        if self.started and self.finished:
            return (self.finished - self.started).total_seconds()
        known = [h.duration for h in self.hosts.values() if h.duration is not None]
        return max(known) if known else None


@dataclass
class PlayNode:
    uuid: str
    name: str
    started: datetime | None = None
    finished: datetime | None = None
    tasks: dict[str, TaskNode] = field(default_factory=dict)

    @property
    def outcome(self) -> Outcome:
        if not self.tasks:
            return Outcome.RUNNING
        return max((t.outcome for t in self.tasks.values()), key=_severity)


_ORDER = list(Outcome)


def _severity(outcome: Outcome) -> int:
    return _ORDER.index(outcome)


@dataclass(frozen=True)
class Failure:
    """A failed host result, with where it happened: what the run screen puts first."""

    play: str
    task: str
    host: str
    message: str
    task_uuid: str


@dataclass
class Counts:
    ok: int = 0
    changed: int = 0
    failed: int = 0
    skipped: int = 0
    unreachable: int = 0
    ignored: int = 0
    retries: int = 0


class RunModel:
    """Everything known about one run so far; `ingest` takes events in any order."""

    def __init__(self) -> None:
        self.plays: dict[str, PlayNode] = {}
        self.tasks: dict[str, TaskNode] = {}
        self.counts = Counts()
        self.status = RunStatus.RUNNING
        self.events_seen = 0
        self.started: datetime | None = None
        self.finished: datetime | None = None
        self.stats: dict[str, dict[str, int]] = {}
        self.playbook = ""
        # Host results whose task_start we have not seen yet (events can reorder).
        self._orphans: list[Event] = []
        # What `failures` found, until a failure may have changed (None: look again).
        self._failures: list[Failure] | None = None

    # -- ingest --------------------------------------------------------------------

    def ingest(self, event: Event) -> str | None:
        """Fold one runner event in; return the uuid of the task it touched, if any."""
        self.events_seen += 1
        kind = str(event.get("event", ""))
        data: Mapping[str, Any] = event.get("event_data") or {}
        created = parse_time(event.get("created"))
        if kind == "playbook_on_start":
            self.started = created
            self.playbook = str(data.get("playbook", ""))
        elif kind == "playbook_on_play_start":
            uuid = str(event.get("uuid") or data.get("play_uuid", ""))
            self.plays.setdefault(
                uuid, PlayNode(uuid, str(data.get("play") or data.get("name") or "play"))
            )
            self.plays[uuid].started = created
        elif kind in ("playbook_on_task_start", "playbook_on_handler_task_start"):
            return self._task_start(event, data, created)
        elif (
            kind in _FINAL_EVENTS
            or kind in _ITEM_EVENTS
            or kind
            in (
                "runner_retry",
                "runner_on_start",
            )
        ):
            return self._host_event(event, kind, data, created)
        elif kind == "playbook_on_stats":
            self._stats(data, created)
        return None

    def _task_start(self, event: Event, data: Mapping[str, Any], created: datetime | None) -> str:
        uuid = str(data.get("task_uuid") or event.get("uuid", ""))
        play_uuid = str(data.get("play_uuid") or event.get("parent_uuid", ""))
        play = self.plays.setdefault(play_uuid, PlayNode(play_uuid, str(data.get("play", "play"))))
        task = self.tasks.get(uuid)
        if task is None:
            task = TaskNode(
                uuid, str(data.get("task") or data.get("name") or "task"), "", play_uuid
            )
            self.tasks[uuid] = task
        task.name = str(data.get("task") or task.name)
        task.action = str(data.get("task_action", ""))
        task.started = task.started or created
        play.tasks[uuid] = task
        if any(host.outcome.is_failure for host in task.hosts.values()):
            self._failures = None  # named again, or now under its play
        orphans, self._orphans = self._orphans, []
        for orphan in orphans:
            self.ingest(orphan)
            self.events_seen -= 1
        return uuid

    def _host_event(
        self, event: Event, kind: str, data: Mapping[str, Any], created: datetime | None
    ) -> str | None:
        uuid = str(data.get("task_uuid") or event.get("parent_uuid", ""))
        task = self.tasks.get(uuid)
        if task is None:
            self._orphans.append(event)
            return None
        name = str(data.get("host") or data.get("remote_addr") or "?")
        host = task.hosts.setdefault(name, HostResult(name))
        if host.outcome.is_failure:
            self._failures = None  # it may fail differently, or not at all
        res: Mapping[str, Any] = data.get("res") or {}
        if kind == "runner_on_start":
            return uuid
        if kind == "runner_retry":
            host.retries += 1
            host.outcome = Outcome.RETRYING
            host.message = f"retry {host.retries}: {result_message(res)}".rstrip(": ")
            self.counts.retries += 1
            return uuid
        if kind in _ITEM_EVENTS:
            outcome = _ITEM_EVENTS[kind]
            if outcome is Outcome.OK and res.get("changed"):
                outcome = Outcome.CHANGED
            host.items.append(
                ItemResult(
                    _item_label(res.get("item", data.get("item"))),
                    outcome,
                    result_message(res) if outcome is Outcome.FAILED else "",
                )
            )
            return uuid
        outcome = _FINAL_EVENTS[kind]
        if outcome is Outcome.FAILED and data.get("ignore_errors"):
            outcome = Outcome.IGNORED
        elif outcome is Outcome.OK and res.get("changed"):
            outcome = Outcome.CHANGED
        host.outcome = outcome
        if outcome.is_failure:
            self._failures = None
        host.changed = bool(res.get("changed"))
        host.message = result_message(res) if outcome is not Outcome.OK else ""
        duration = data.get("duration")
        host.duration = float(duration) if isinstance(duration, (int, float)) else None
        end = parse_time(data.get("end")) or created
        if end and (task.finished is None or end > task.finished):
            task.finished = end
        self._count(outcome)
        return uuid

    def _count(self, outcome: Outcome) -> None:
        field_name = {
            Outcome.OK: "ok",
            Outcome.CHANGED: "changed",
            Outcome.FAILED: "failed",
            Outcome.SKIPPED: "skipped",
            Outcome.UNREACHABLE: "unreachable",
            Outcome.IGNORED: "ignored",
        }.get(outcome)
        if field_name:
            setattr(self.counts, field_name, getattr(self.counts, field_name) + 1)

    def _stats(self, data: Mapping[str, Any], created: datetime | None) -> None:
        self.finished = created
        for key in ("ok", "changed", "failures", "skipped", "dark", "ignored", "rescued"):
            for host, number in (data.get(key) or {}).items():
                self.stats.setdefault(str(host), {})[key] = int(number)
        failed = any(data.get("failures") or {}) or any(data.get("dark") or {})
        if self.status is RunStatus.RUNNING:
            self.status = RunStatus.FAILED if failed else RunStatus.SUCCESSFUL

    def finish(self, status: str) -> None:
        """Record the runner's final word (`successful`, `failed`, `canceled`, ...)."""
        try:
            self.status = RunStatus(status)
        except ValueError:
            self.status = RunStatus.FAILED

    # -- read ----------------------------------------------------------------------

    def failures(self) -> list[Failure]:
        """Every failed host result, in run order. The same list (not to be changed)
        until a failure comes, goes or changes: a long run has thousands of tasks to
        look through, and the run screen asks on every frame."""
        if self._failures is None:
            self._failures = [
                Failure(play.name, task.name, host.host, host.message, task.uuid)
                for play in self.plays.values()
                for task in play.tasks.values()
                for host in task.hosts.values()
                if host.outcome.is_failure
            ]
        return self._failures

    @property
    def elapsed(self) -> float | None:
        if self.started is None:
            return None
        last = self.finished or max(
            (t.finished for t in self.tasks.values() if t.finished), default=None
        )
        return (last - self.started).total_seconds() if last else None
