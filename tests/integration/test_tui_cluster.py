"""The cluster reader against the sandbox: list, watch and read Stores for real, and
the watch riding out connections that are cut and refused."""

from __future__ import annotations

import base64
import gzip
import json
import threading
from pathlib import Path

import pytest
import yaml

from storefleet_sandbox import SandboxClient
from storefleet_tui.core.cluster import ClusterReader
from storefleet_tui.core.store_watch import Backoff, StoreWatch
from storefleet_tui.core.stores import StoreChange
from tests.integration.api_proxy import ApiProxy
from tests.integration.tui_cluster import apply_store, delete_store, install_store_crd
from tests.waiting import wait_for

pytestmark = pytest.mark.sandbox


def test_watch_sees_stores_appear_change_and_go(sandbox: SandboxClient) -> None:
    install_store_crd(sandbox)
    apply_store(sandbox, "watched", "Provisioning")
    reader = ClusterReader(sandbox.kubeconfig)
    changes: list[StoreChange] = []
    stop = threading.Event()
    thread = threading.Thread(target=reader.watch_stores, args=(changes.append, stop), daemon=True)
    thread.start()
    try:
        synced = wait_for(lambda: [c for c in changes if c.kind == "SYNCED"], 30, "first list")
        assert "watched" in {s.name for s in synced[0].stores}
        apply_store(sandbox, "watched", "Ready")
        wait_for(
            lambda: any(
                c.kind == "MODIFIED" and c.store and c.store.phase == "Ready" for c in changes
            ),
            30,
            "the phase change through the watch",
        )
        apply_store(sandbox, "later", "Pending")
        wait_for(
            lambda: any(c.kind == "ADDED" and c.store and c.store.name == "later" for c in changes),
            30,
            "ADDED",
        )
        delete_store(sandbox, "later")
        wait_for(
            lambda: any(
                c.kind == "DELETED" and c.store and c.store.name == "later" for c in changes
            ),
            30,
            "DELETED",
        )
    finally:
        stop.set()
        thread.join(10)
        delete_store(sandbox, "watched")
    assert not thread.is_alive(), "the watch did not stop within 10 s"


def test_details_read_pods_quota_helm_history_and_credentials(sandbox: SandboxClient) -> None:
    install_store_crd(sandbox)
    apply_store(sandbox, "detailed", "Ready")
    namespace = "store-detailed"
    sandbox.kubectl("create", "namespace", namespace)
    try:
        quota = {
            "apiVersion": "v1",
            "kind": "ResourceQuota",
            "metadata": {"name": "store", "namespace": namespace},
            "spec": {"hard": {"pods": "10", "limits.memory": "2Gi"}},
        }
        sandbox.kubectl("apply", "-f", "-", input_text=json.dumps(quota))
        # A Helm release Secret as helm 3 writes it: base64(gzip(json)).
        release = {
            "version": 1,
            "info": {"status": "deployed", "description": "Install complete"},
            "chart": {"metadata": {"name": "store", "version": "0.1.0", "appVersion": "2.8.4"}},
        }
        encoded = base64.b64encode(gzip.compress(json.dumps(release).encode())).decode()
        sandbox.kubectl(
            "-n",
            namespace,
            "create",
            "secret",
            "generic",
            "sh.helm.release.v1.detailed.v1",
            f"--from-literal=release={encoded}",
        )
        sandbox.kubectl(
            "-n",
            namespace,
            "label",
            "secret",
            "sh.helm.release.v1.detailed.v1",
            "owner=helm",
            "name=detailed",
        )
        sandbox.kubectl(
            "-n",
            namespace,
            "create",
            "secret",
            "generic",
            "store-credentials",
            "--from-literal=admin-email=admin@detailed.example",
            "--from-literal=admin-password=generated-at-run-time",
        )
        reader = ClusterReader(sandbox.kubeconfig)
        details = wait_for(
            lambda: (d := reader.store_details("detailed")).quota and d, 30, "quota status"
        )
        assert details.store.phase == "Ready"
        assert {q.resource for q in details.quota} == {"pods", "limits.memory"}
        assert [(r.revision, r.status, r.chart) for r in details.helm_history] == [
            (1, "deployed", "store-0.1.0")
        ]
        assert details.workflow_nodes == ()
        credentials = reader.credentials("detailed")
        assert credentials.password == "generated-at-run-time"
        assert "generated-at-run-time" not in repr(credentials)
    finally:
        sandbox.kubectl("delete", "namespace", namespace, "--wait=false")
        delete_store(sandbox, "detailed")


def test_watch_rides_out_cut_and_refused_connections(
    sandbox: SandboxClient, tmp_path: Path
) -> None:
    """The watch's connection to the real API server is cut, then the port refuses
    connections for a while (an API server restart as a client sees it); changes made
    meanwhile show after the watch reconnects, and later changes arrive by the watch."""
    install_store_crd(sandbox)
    apply_store(sandbox, "severed", "Provisioning")
    server = yaml.safe_load(sandbox.kubeconfig.read_text())["clusters"][0]["cluster"]["server"]
    proxy = ApiProxy(server)
    proxy.accept()
    reader = ClusterReader(proxy.kubeconfig(sandbox.kubeconfig, tmp_path))
    changes: list[StoreChange] = []
    stop = threading.Event()
    watch = StoreWatch(reader.custom, Backoff(first=0.25, most=2.0))
    thread = threading.Thread(target=watch.run, args=(changes.append, stop), daemon=True)
    thread.start()

    def seen(kind: str) -> list[StoreChange]:
        return [c for c in changes if c.kind == kind]

    def phase_after_relist(name: str) -> str | None:
        phases = {s.name: s.phase for s in seen("SYNCED")[-1].stores}
        return phases.get(name)

    def cut_until_noticed() -> list[StoreChange]:
        # A quiet watch opens a new connection every second: cut until a cut lands.
        proxy.cut()
        return seen("RECONNECTING")

    try:
        wait_for(lambda: seen("SYNCED"), 30, "the first list")
        wait_for(cut_until_noticed, 30, "the cut to be noticed")
        assert seen("RECONNECTING")[0].reason.startswith("connection broken")
        wait_for(lambda: len(seen("SYNCED")) >= 2, 30, "a relist after the cut")

        proxy.refuse()

        def refused() -> list[float]:
            return [c.retry_in for c in seen("RECONNECTING") if "refused" in c.reason]

        wait_for(lambda: len(refused()) >= 4, 60, "tries while refused")
        apply_store(sandbox, "severed", "Ready")  # straight to the API server
        assert refused() == sorted(refused()) and refused()[-1] == 2.0, refused()
        proxy.accept()
        wait_for(lambda: phase_after_relist("severed") == "Ready", 60, "the relist after")

        apply_store(sandbox, "severed", "Failed")
        wait_for(
            lambda: any(c.store and c.store.phase == "Failed" for c in seen("MODIFIED")),
            30,
            "a change through the new watch",
        )
    finally:
        stop.set()
        thread.join(10)
        proxy.refuse()
        delete_store(sandbox, "severed")
    assert not thread.is_alive(), "the watch did not stop within 10 s"
