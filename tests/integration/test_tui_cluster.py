"""The cluster reader against the sandbox: list, watch and read Stores for real."""

from __future__ import annotations

import base64
import gzip
import json
import threading

import pytest

from storefleet_sandbox import SandboxClient
from storefleet_tui.core.cluster import ClusterReader
from storefleet_tui.core.stores import StoreChange
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
