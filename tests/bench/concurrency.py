#!/usr/bin/env python3
"""Fifty stores created at once on a sandbox of their own (simulated nodes): through Argo
with the platform's cap of concurrent provisions at 5, then directly, ten at a time
(forks 10). One ansible-playbook process per mode starts every store's run at once.

For each mode: stores done and failed (goal: all done, 0 failed), wall time, and p50 and
p95 of a store's time from the start to done; for Argo, the most store workflows a
watcher saw Running at once (goal: never above 5). Done is the Store's readyAt directly,
and the workflow's finishedAt (Succeeded) through Argo: on simulated nodes the steps'
pods run no playbook, so the Argo mode measures the queue and the DAG, not the stores
(real Argo steps are measured on the real node by the integration tests).

STOREFLEET_BENCH_CONCURRENT_STORES=50 picks the number of stores.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from storefleet_sandbox import Sandbox, SandboxClient  # noqa: E402
from tests.bench.fleet import STORES_AT_ONCE, STORES_PER_NODE, playbook  # noqa: E402
from tests.bench.store_lifecycle import environment, run  # noqa: E402

STORES = int(os.environ.get("STOREFLEET_BENCH_CONCURRENT_STORES", "50"))
MAX_CONCURRENT = 5
DIRECT_FORKS = 10
PLATFORM_NAMESPACE = "storefleet-system"


class RunningWatch:
    """The most store workflows seen Running at once, polled every half second."""

    def __init__(self, sandbox: SandboxClient) -> None:
        self.sandbox = sandbox
        self.most = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> RunningWatch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            phases = self.sandbox.kubectl(
                "-n", PLATFORM_NAMESPACE, "get", "workflows", "-l", "storefleet.io/store",
                "-o", "jsonpath={.items[*].status.phase}",
            ).split()  # fmt: skip
            running = phases.count("Running")
            self.most = max(self.most, running)


def stores_ready(sandbox: SandboxClient, names: list[str], started: datetime) -> list[float]:
    """Seconds from `started` to each Ready store's readyAt."""
    found = json.loads(
        sandbox.kubectl("-n", PLATFORM_NAMESPACE, "get", "stores.storefleet.io", "-o", "json")
    )["items"]
    seconds = []
    for item in found:
        status = item.get("status") or {}
        if item["metadata"]["name"] in names and status.get("phase") == "Ready":
            ready = datetime.fromisoformat(status["readyAt"].replace("Z", "+00:00"))
            seconds.append((ready - started).total_seconds())
    return seconds


def workflows_done(sandbox: SandboxClient, names: list[str], started: datetime) -> list[float]:
    """Seconds from `started` to each Succeeded store workflow's finishedAt."""
    found = json.loads(sandbox.kubectl("-n", PLATFORM_NAMESPACE, "get", "workflows", "-o", "json"))[
        "items"
    ]
    seconds = []
    for item in found:
        status = item.get("status") or {}
        store = item["metadata"].get("labels", {}).get("storefleet.io/store")
        if store in names and status.get("phase") == "Succeeded":
            done = datetime.fromisoformat(status["finishedAt"].replace("Z", "+00:00"))
            seconds.append((done - started).total_seconds())
    return seconds


def create_all(
    sandbox: SandboxClient, env: dict[str, str], names: list[str], orchestrator: str, forks: int
) -> dict[str, float]:
    started = datetime.now(UTC).replace(microsecond=0)
    began = time.monotonic()
    extravars = {
        "fixture_stores": {name: {"bench": "concurrency"} for name in names},
        "fixture_store_state": "present",
        "store_orchestrator": orchestrator,
    }
    # The run fails when a store does: the numbers below say how many.
    run(playbook(str(STORES_AT_ONCE), extravars), {**env, "ANSIBLE_FORKS": str(forks)}, check=False)
    wall = time.monotonic() - began
    done = workflows_done if orchestrator == "argo" else stores_ready
    ready = sorted(done(sandbox, names, started))
    p50, p95 = (
        (statistics.median(ready), statistics.quantiles(ready, n=20, method="inclusive")[18])
        if len(ready) > 1
        else (math.nan, math.nan)
    )
    return {
        "ready": len(ready),
        "failed": len(names) - len(ready),
        "wall": wall,
        "p50": p50,
        "p95": p95,
    }


def main() -> int:
    # Room for both modes' stores at once: the Argo stores stay while the direct ones run.
    nodes = max(3, math.ceil(2 * STORES / STORES_PER_NODE) + 1)
    argo_names = [f"argo{index:02d}" for index in range(STORES)]
    direct_names = [f"direct{index:02d}" for index in range(STORES)]
    with (
        tempfile.TemporaryDirectory(prefix="concurrency-bench-") as tmp,
        Sandbox(Path(tmp), nodes=nodes) as sandbox,
    ):
        env = environment(sandbox)
        run(playbook("storefleet.platform.platform", {"storefleet_store_cap": 2 * STORES}), env)
        settings = {"storefleet_max_concurrent_provisions": MAX_CONCURRENT}
        run(playbook(str(REPO_ROOT / "playbooks" / "argo.yml"), settings), env)
        with RunningWatch(sandbox) as watch:
            # Every store's run at once: Argo's semaphore, not the forks, sets the pace.
            argo = create_all(sandbox, env, argo_names, "argo", forks=STORES)
        direct = create_all(sandbox, env, direct_names, "direct", forks=DIRECT_FORKS)

    print(f"{STORES} stores created at once on simulated nodes (seconds)")
    print(
        f"{'mode':<30}{'done':>6}{'failed':>7}{'wall':>8}{'p50':>8}{'p95':>8}{'most running':>14}"
    )
    rows = (
        (
            f"Argo, {MAX_CONCURRENT} provisions at most",
            argo,
            f"{watch.most} (goal <= {MAX_CONCURRENT})",
        ),
        (f"direct, forks {DIRECT_FORKS}", direct, "-"),
    )
    for label, numbers, most in rows:
        print(
            f"{label:<30}{numbers['ready']:>6}{numbers['failed']:>7}{numbers['wall']:>8.0f}"
            f"{numbers['p50']:>8.1f}{numbers['p95']:>8.1f}{most:>14}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
