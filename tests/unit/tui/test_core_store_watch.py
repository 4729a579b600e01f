"""The Store watch through the real kubernetes client against a local API server that
stops, resets connections, fails requests and expires resource versions."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from storefleet_tui.core.cluster import ClusterReader
from storefleet_tui.core.store_watch import Backoff, StoreWatch, describe
from storefleet_tui.core.stores import StoreChange
from tests.unit.tui.store_api import StoreApi, StoreApiServer
from tests.waiting import wait_for

FAST = Backoff(first=0.05, most=0.4)


@dataclass
class Watching:
    api: StoreApi
    server: StoreApiServer
    changes: list[StoreChange] = field(default_factory=list)

    def kinds(self) -> list[str]:
        return [c.kind for c in self.changes]

    def reconnecting(self) -> list[StoreChange]:
        return [c for c in self.changes if c.kind == "RECONNECTING"]

    def syncs(self) -> list[StoreChange]:
        return [c for c in self.changes if c.kind == "SYNCED"]

    def phase(self, name: str) -> str | None:
        """The phase the changes so far say `name` has, as the app would fold them."""
        fleet: dict[str, str] = {}
        for change in self.changes:
            if change.kind == "SYNCED":
                fleet = {s.name: s.phase for s in change.stores}
            elif change.store and change.kind == "DELETED":
                fleet.pop(change.store.name, None)
            elif change.store:
                fleet[change.store.name] = change.store.phase
        return fleet.get(name)


@pytest.fixture
def watching(tmp_path: Path) -> Iterator[Watching]:
    api = StoreApi()
    api.put("acme", "Ready")
    server = StoreApiServer(api)
    server.start()
    reader = ClusterReader(server.kubeconfig(tmp_path))
    seen = Watching(api, server)
    stop = threading.Event()
    thread = threading.Thread(
        target=StoreWatch(reader.custom, FAST).run, args=(seen.changes.append, stop), daemon=True
    )
    thread.start()
    try:
        wait_for(lambda: seen.syncs(), 10, "the first list")
        yield seen
    finally:
        stop.set()
        thread.join(5)
        server.stop()
    assert not thread.is_alive(), "the watch did not stop"


def test_api_server_restart_reconnects_with_backoff_and_relists(watching: Watching) -> None:
    watching.server.stop()
    # Down for a while: several tries, each after a longer pause.
    wait_for(lambda: len(watching.reconnecting()) >= 4, 20, "four failed tries")
    # Changed while the API server was down: only a relist can tell.
    watching.api.put("bolt", "Provisioning")
    watching.api.put("acme", "Failed")
    watching.server.start()
    wait_for(lambda: watching.phase("bolt") == "Provisioning", 20, "bolt after the restart")
    assert watching.phase("acme") == "Failed"
    delays = [c.retry_in for c in watching.reconnecting()]
    assert delays[:4] == [0.05, 0.1, 0.2, 0.4]
    assert all(d == FAST.most for d in delays[4:])
    assert "refused" in watching.reconnecting()[-1].reason.lower()
    # After the relist, the watch follows changes again.
    watching.api.put("bolt", "Ready")
    wait_for(lambda: watching.phase("bolt") == "Ready", 10, "a change after reconnecting")


def test_a_reset_watch_connection_reconnects(watching: Watching) -> None:
    lists = watching.api.count(watch=False)
    watching.api.faults.append("reset")
    # The fault is served to the next request: the watch's resume after its idle read.
    wait_for(lambda: watching.reconnecting(), 10, "the reset to be noticed")
    assert watching.reconnecting()[0].reason.startswith("connection broken")
    wait_for(lambda: watching.api.count(watch=False) > lists, 10, "a relist")
    watching.api.put("acme", "Deleting")
    wait_for(lambda: watching.phase("acme") == "Deleting", 10, "a change after the reset")


def test_server_errors_are_retried_with_growing_pauses(watching: Watching) -> None:
    watching.api.faults.extend(["500", "500", "500"])
    wait_for(lambda: len(watching.reconnecting()) >= 3, 10, "three 500s")
    first = watching.reconnecting()[:3]
    assert [c.reason for c in first] == ["500 Internal Server Error"] * 3
    assert [c.retry_in for c in first] == [0.05, 0.1, 0.2]
    watching.api.put("crumb", "Pending")
    wait_for(lambda: watching.phase("crumb") == "Pending", 10, "the watch back")


def test_an_expired_resource_version_relists_at_once(watching: Watching) -> None:
    lists = watching.api.count(watch=False)
    watching.api.faults.append("expire")
    wait_for(lambda: watching.api.count(watch=False) > lists, 10, "a relist after the 410")
    watching.api.faults.append("410")
    wait_for(lambda: watching.api.count(watch=False) > lists + 1, 10, "a relist after HTTP 410")
    watching.api.put("acme", "Provisioning")
    wait_for(lambda: watching.phase("acme") == "Provisioning", 10, "the watch back")
    assert watching.reconnecting() == [], "a 410 is routine: no reconnect shown"


def test_compacted_history_relists_and_misses_nothing(watching: Watching) -> None:
    watching.server.stop()
    wait_for(lambda: watching.reconnecting(), 10, "the stop")
    watching.api.put("bolt", "Ready")
    watching.api.delete("bolt")
    watching.api.compact()
    watching.server.start()
    wait_for(lambda: len(watching.syncs()) >= 2, 20, "the relist")
    assert watching.phase("bolt") is None and watching.phase("acme") == "Ready"


def test_a_quiet_watch_resumes_from_its_version_without_relisting(watching: Watching) -> None:
    watching.api.put("acme", "Provisioning")
    wait_for(lambda: watching.phase("acme") == "Provisioning", 10, "the change")
    version = str(watching.api.version)
    # Idle reads end after a second each; the resumed watches start where the last ended.
    wait_for(lambda: watching.api.count(watch=True) >= 3, 10, "resumed watches")
    assert watching.api.count(watch=False) == 1
    assert watching.api.requests[-1].version == version
    assert watching.kinds().count("SYNCED") == 1 and not watching.reconnecting()


def test_backoff_doubles_up_to_its_ceiling() -> None:
    backoff = Backoff()
    assert [backoff.delay(n) for n in range(1, 9)] == [0.5, 1, 2, 4, 8, 16, 30, 30]


def test_reasons_are_short() -> None:
    from kubernetes.client.exceptions import ApiException

    assert describe(ApiException(status=503, reason="Service Unavailable")) == (
        "503 Service Unavailable"
    )
    assert describe(ApiException(status=404, reason="Not Found")) == (
        "404 Not Found (no Store CRD: set up the platform)"
    )
