"""The TUI stays up when the API server goes away, says it is reconnecting, and shows
what changed meanwhile once it is back (a local API server, the real kubernetes client)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.message import Message
from textual.notifications import Notify

from storefleet_tui.core.cluster import ClusterReader
from storefleet_tui.core.store_watch import Backoff, ChangeSink, StoreWatch
from storefleet_tui.widgets.fleet.store_table import StoreTable
from tests.unit.tui.driving import drawn, settle
from tests.unit.tui.entry import make_app
from tests.unit.tui.recorded import RecordedBackend
from tests.unit.tui.store_api import StoreApi, serving

pytestmark = pytest.mark.asyncio


class ServedBackend(RecordedBackend):
    """Store objects from a local API server, watched for real; the rest recorded."""

    def __init__(self, kubeconfig: Path) -> None:
        super().__init__(stores=[])
        self.kubeconfig = kubeconfig

    def watch_stores(self, sink: ChangeSink, stop: threading.Event) -> None:
        custom = ClusterReader(self.kubeconfig).custom
        StoreWatch(custom, Backoff(first=0.2, most=1.0)).run(sink, stop)


async def test_an_api_server_restart_needs_no_restart_of_the_tui(tmp_path: Path) -> None:
    api = StoreApi()
    api.put("acme", "Ready")
    with serving(api) as server:
        app = make_app(backend=ServedBackend(server.kubeconfig(tmp_path)))
        seen: list[Message] = []
        async with app.run_test(size=(120, 30), message_hook=seen.append) as pilot:
            await settle(pilot, lambda: app.fleet_synced)
            table = app.screen.query_one(StoreTable)
            server.stop()
            await drawn(pilot, ["store watch: connection", "reconnecting in"])
            assert table.row_count == 1, "the last stores seen stay on screen"
            api.put("bolt", "Provisioning")
            api.put("acme", "Failed")
            server.start()
            await drawn(pilot, ["bolt"], hidden=["reconnecting in"])
            assert str(table.get_cell("acme", "phase")) == "Failed"
            told = [m.notification.message for m in seen if isinstance(m, Notify)]
            assert "Store watch reconnected: the table is current again." in told
            api.put("bolt", "Ready")
            await settle(pilot, lambda: str(table.get_cell("bolt", "phase")) == "Ready")
