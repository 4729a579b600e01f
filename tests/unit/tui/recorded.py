"""A backend that serves recorded data: Store and Node objects saved from a cluster, and
runner event streams recorded from real playbook runs (tests/fixtures/events/).

It lets Pilot and snapshot tests drive every screen without a cluster. The same app
runs on `LocalBackend` against the sandbox in tests/integration/test_tui_*.py.
"""

from __future__ import annotations

import copy
import json
import threading
import uuid
from pathlib import Path
from typing import Any

from storefleet_tui.core import artifacts
from storefleet_tui.core.nodes import ClusterNodes, classify_nodes
from storefleet_tui.core.replay import ReplayRun
from storefleet_tui.core.runner import EventSink, RunHandle, RunRequest
from storefleet_tui.core.stores import (
    Credentials,
    HelmRevision,
    Pod,
    QuotaUse,
    Store,
    StoreChange,
    StoreDetails,
    WorkflowNode,
)
from storefleet_tui.core.target import ClusterTarget

REPO = Path(__file__).resolve().parents[3]
DATA = Path(__file__).parent / "data"
EVENTS = REPO / "tests" / "fixtures" / "events"
# A value no screen may show before the user asks to reveal it.
SECRET_PASSWORD = "s3cr3t-Admin-Passw0rd-4f9a"


def fleet(name: str = "fleet.json") -> list[Store]:
    return [Store.from_object(obj) for obj in json.loads((DATA / name).read_text())]


def sandbox_nodes(*types: str) -> list[dict[str, Any]]:
    """The sandbox's Node objects: three kwok nodes and the real sandbox-real-1; only those
    whose `type` label (`kwok`, `real`) is one of `types` when any are given."""
    listed: list[dict[str, Any]] = json.loads((DATA / "nodes.json").read_text())
    return [node for node in listed if not types or node["metadata"]["labels"]["type"] in types]


def events(name: str) -> list[dict[str, Any]]:
    """A recorded stream: tests/fixtures/events/, else this folder's data/."""
    path = EVENTS / name if (EVENTS / name).exists() else DATA / name
    return list(artifacts.read_jsonl(path))


def long_run(size: int) -> list[dict[str, Any]]:
    """`size` events of a long playbook: the recorded successful run's plays over and over,
    each copy with fresh uuids, between the run's first event and its stats."""
    recorded = events("successful_run.jsonl")
    first, body, stats = recorded[0], recorded[1:-1], recorded[-1]
    stream = [first]
    while len(stream) < size - 1:
        fresh: dict[str, str] = {}
        for event in body[: size - 1 - len(stream)]:
            copied = copy.deepcopy(event)
            for key in ("uuid", "parent_uuid"):
                if copied.get(key):
                    copied[key] = fresh.setdefault(copied[key], str(uuid.uuid4()))
            data = copied.get("event_data", {})
            for key in ("task_uuid", "play_uuid"):
                if data.get(key):
                    data[key] = fresh.setdefault(data[key], str(uuid.uuid4()))
            stream.append(copied)
    stream.append(stats)
    return stream


class RecordedBackend:
    def __init__(
        self,
        stores: list[Store] | None = None,
        stream: str = "failed_run.jsonl",
        pace: float = 0.0,
        artifacts_dir: Path | None = None,
        in_progress: bool = False,
        simulated: bool = False,
        nodes: list[dict[str, Any]] | None = None,
    ) -> None:
        self.stores = stores if stores is not None else fleet()
        # No nodes unless a test gives some: the banner then stays out of the screens.
        self.node_objects = nodes or []
        self.stream = stream
        self.pace = pace
        self.artifacts_dir = artifacts_dir
        self.launched: list[RunRequest] = []
        self.credentials_read = 0
        # Replays stop after the first half and stay open until canceled.
        self.in_progress = in_progress
        self.simulated = simulated

    def connect(self) -> ClusterTarget:
        return ClusterTarget(
            "sandbox",
            None,
            "storefleet-sandbox",
            "sandbox",
            "sandbox.127.0.0.1.nip.io",
            simulated=self.simulated,
        )

    def watch_stores(self, sink: Any, stop: threading.Event) -> None:
        sink(StoreChange("SYNCED", stores=tuple(self.stores)))
        stop.wait()

    def nodes(self) -> ClusterNodes:
        return classify_nodes(
            {
                node["metadata"]["name"]: node["metadata"].get("annotations") or {}
                for node in self.node_objects
            }
        )

    def store_details(self, name: str) -> StoreDetails:
        store = next(s for s in self.stores if s.name == name)
        return StoreDetails(
            store,
            pods=(
                Pod(f"{name}-store-backend-7d9c6b5f4-x2x9q", "Running", "1/1", 0),
                Pod(f"{name}-store-postgresql-0", "Running", "1/1", 0),
                Pod(f"{name}-store-redis-0", "Running", "1/1", 0),
                Pod(f"{name}-store-storefront-5c8d7f9b6-k4m2n", "Running", "1/1", 1),
            ),
            quota=(
                QuotaUse("limits.cpu", "2500m", "4"),
                QuotaUse("limits.memory", "3Gi", "6Gi"),
                QuotaUse("persistentvolumeclaims", "2", "4"),
                QuotaUse("pods", "4", "20"),
            ),
            helm_history=(
                HelmRevision(
                    2, "deployed", "store-0.1.0", "2.8.4", "2026-01-10 09:20:00", "Upgrade complete"
                ),
                HelmRevision(
                    1,
                    "superseded",
                    "store-0.1.0",
                    "2.8.3",
                    "2026-01-10 09:02:00",
                    "Install complete",
                ),
            ),
            workflow=store.workflow,
            workflow_nodes=_dag(store.workflow) if store.workflow else (),
        )

    def credentials(self, name: str) -> Credentials:
        self.credentials_read += 1
        return Credentials(f"admin@{name}.example", SECRET_PASSWORD)

    def launch(self, request: RunRequest, sink: EventSink) -> RunHandle:
        self.launched.append(request)
        return self._replay(request.playbook, events(self.stream), sink)

    def past_runs(self) -> list[artifacts.PastRun]:
        return artifacts.list_runs(self.artifacts_dir) if self.artifacts_dir else []

    def replay(self, run: artifacts.PastRun, sink: EventSink) -> RunHandle:
        return self._replay(run.ident, list(artifacts.read_events(run.events_dir)), sink)

    def _replay(self, ident: str, stream: list[dict[str, Any]], sink: EventSink) -> RunHandle:
        if self.in_progress:
            return OpenRun(ident, stream[: len(stream) // 2]).start(sink)
        return ReplayRun(ident, stream, self.pace).start(sink)


class OpenRun(ReplayRun):
    """A run caught in the middle: its first events, then nothing until canceled."""

    def _feed(self, sink: EventSink) -> None:
        super()._feed(sink)
        self._cancel.wait()
        self.status = "canceled"


def _dag(workflow: str) -> tuple[WorkflowNode, ...]:
    phases = [
        "validate",
        "namespace",
        "guardrails",
        "secrets",
        "release",
        "database",
        "admin",
        "ready",
    ]
    nodes = [WorkflowNode(workflow, "Succeeded", "DAG", (f"{workflow}-{phases[0]}",), workflow)]
    for index, phase in enumerate(phases):
        children = (f"{workflow}-{phases[index + 1]}",) if index + 1 < len(phases) else ()
        nodes.append(WorkflowNode(phase, "Succeeded", "Pod", children, f"{workflow}-{phase}"))
    return tuple(nodes)
