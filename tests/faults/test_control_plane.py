"""Control-plane outages in the middle of a store step: the API server stopped for 20 s
during `release`, etcd stopped for 20 s during `guardrails`; the same create run again
converges to a Ready store with the credentials written first. The TUI's Store watch
rides out the API server restart and shows the phase changes made after it.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from storefleet_sandbox import SandboxClient
from storefleet_sandbox.components import Components
from storefleet_tui.core.cluster import ClusterReader
from storefleet_tui.core.stores import StoreChange
from tests.faults.injection import (
    CREATE,
    CredentialsWatch,
    StoreRun,
    assert_ready,
    discard_store,
    fault_row,
    run_store,
)
from tests.integration.tui_cluster import apply_store, delete_store
from tests.waiting import wait_for

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

OUTAGE_SECONDS = 20
# An outage longer than the controllers' lease renew deadline (10 s): in a cluster the
# controller-manager and the scheduler lose their leadership, exit and start again with
# fresh informers. The sandbox runs them without leader election, so the fault restarts
# them as the cluster would; kept running, they can go on watching through connections
# that deliver nothing (seen after an etcd outage: Deployments never counted Available).
RESTARTED_AFTER_AN_OUTAGE = ("kube-controller-manager", "kube-scheduler")


def outage_during_step(
    sandbox: SandboxClient,
    components: Components,
    workdir: Path,
    name: str,
    component: str,
    step: str,
) -> None:
    """Stop `component` for 20 s once the create reaches `step`, then create again."""
    with CredentialsWatch(sandbox, name).running() as watch:
        try:
            first = StoreRun(sandbox, CREATE, name, workdir / f"{name}-1").start()
            first.reached(step)
            with fault_row(f"{component} stopped {OUTAGE_SECONDS}s", step):
                with components.down(component):
                    time.sleep(OUTAGE_SECONDS)
                for controller in RESTARTED_AFTER_AN_OUTAGE:
                    with components.down(controller):
                        pass
                first.result()  # failed or not: the second run must converge either way
                again = run_store(sandbox, CREATE, name, workdir / f"{name}-2")
                assert again.ok, again.explain()
                assert_ready(sandbox, name, watch)
        finally:
            discard_store(sandbox, name)


def test_api_server_stopped_during_release(
    platform: SandboxClient, components: Components, workdir: Path
) -> None:
    outage_during_step(platform, components, workdir, "apidown", "kube-apiserver", "release")


def test_etcd_stopped_during_guardrails(
    platform: SandboxClient, components: Components, workdir: Path
) -> None:
    outage_during_step(platform, components, workdir, "etcddown", "etcd", "guardrails")


def test_tui_watch_rides_out_an_api_server_restart(
    platform: SandboxClient, components: Components
) -> None:
    """The TUI's ClusterReader watch keeps running through the restart, says it
    reconnects, and shows a phase change made after the API server came back."""
    name = "tuiwatch"
    apply_store(platform, name, "Provisioning")
    reader = ClusterReader(platform.kubeconfig)
    changes: list[StoreChange] = []
    stop = threading.Event()
    thread = threading.Thread(target=reader.watch_stores, args=(changes.append, stop), daemon=True)
    thread.start()
    try:
        wait_for(lambda: any(c.kind == "SYNCED" for c in changes), 30, "the first list")
        with fault_row(f"kube-apiserver stopped {OUTAGE_SECONDS}s (TUI watch)", "-"):
            with components.down("kube-apiserver"):
                wait_for(
                    lambda: any(c.kind == "RECONNECTING" for c in changes),
                    30,
                    "the watch saying it reconnects",
                )
                time.sleep(OUTAGE_SECONDS)
            assert thread.is_alive(), "the watch ended with the API server"
            since = len(changes)
            apply_store(platform, name, "Ready")
            wait_for(
                lambda: (
                    any(
                        c.store is not None and c.store.name == name and c.store.phase == "Ready"
                        for c in changes[since:]
                    )
                    or any(
                        c.kind == "SYNCED"
                        and any(s.name == name and s.phase == "Ready" for s in c.stores)
                        for c in changes[since:]
                    )
                ),
                60,
                "the phase change after the restart",
            )
    finally:
        stop.set()
        thread.join(timeout=10)
        delete_store(platform, name)
