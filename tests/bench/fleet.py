#!/usr/bin/env python3
"""Fleet upgrade against single upgrades: for a fleet of 12 and one of 40 stores on a
sandbox of their own (simulated nodes), each store upgraded by its own `store_upgrade`
run, one after the other, then the whole fleet by one `fleet_upgrade` (a canary, half,
the rest; each wave's stores side by side, one fork per store). The table shows the
fleet run's wall time against the sum of the single runs, measured in the same run
(goal: at most 0.3x).

STOREFLEET_BENCH_FLEET_SIZES=12,40 picks the fleet sizes.
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from storefleet_sandbox import Sandbox  # noqa: E402
from tests.bench.store_lifecycle import environment, run, timed  # noqa: E402
from tests.integration.ansible_run import ON_SIMULATED_NODES  # noqa: E402

SIZES = [int(size) for size in os.environ.get("STOREFLEET_BENCH_FLEET_SIZES", "12,40").split(",")]
STORES_AT_ONCE = REPO_ROOT / "tests" / "fixtures" / "playbooks" / "stores_at_once.yml"
GOAL = 0.3
# Stores per simulated node: a small store's pods ask for about 1.3 cores of the 8.
STORES_PER_NODE = 4
# A store upgraded alone keeps the labels the fleet run selects it by.
LABELS = {"bench": "fleet"}


def playbook(name: str, extravars: dict[str, object], *args: str) -> list[str]:
    return ["ansible-playbook", name, "-e", json.dumps({**ON_SIMULATED_NODES, **extravars}), *args]


def measure(size: int) -> tuple[float, float, float]:
    """Seconds: the fleet's creation, the sum of single upgrades, the fleet upgrade."""
    names = [f"fleet{index:02d}" for index in range(size)]
    nodes = max(3, math.ceil(size / STORES_PER_NODE) + 1)
    with (
        tempfile.TemporaryDirectory(prefix="fleet-bench-") as tmp,
        Sandbox(Path(tmp), nodes=nodes) as sandbox,
    ):
        # One fork per store, so each wave's stores change side by side.
        env = {**environment(sandbox), "ANSIBLE_FORKS": str(size)}
        run(playbook("storefleet.platform.platform", {"storefleet_store_cap": size}), env)
        created = timed(
            playbook(
                str(STORES_AT_ONCE),
                {
                    "fixture_stores": dict.fromkeys(names, LABELS),
                    "fixture_store_state": "present",
                },
            ),
            env,
        )
        singles = sum(
            timed(
                playbook(
                    "storefleet.platform.store_upgrade",
                    {
                        "store_name": name,
                        "store_labels": LABELS,
                        "store_backend_image_tag": "0.2.0-single",
                    },
                ),
                env,
            )
            for name in names
        )
        fleet = timed(
            playbook(
                "storefleet.platform.fleet_upgrade",
                {"store_backend_image_tag": "0.3.0-fleet"},
                "--limit",
                "label_bench_fleet",
                "--flush-cache",
            ),
            env,
        )
    return created, singles, fleet


def main() -> int:
    rows = []
    for size in SIZES:
        started = time.monotonic()
        created, singles, fleet = measure(size)
        rows.append((size, created, singles, fleet, time.monotonic() - started))
    print("fleet upgrade against single store_upgrade runs, simulated nodes (seconds)")
    print(
        f"{'stores':>6}{'create all':>12}{'sum of singles':>16}{'fleet':>9}{'ratio':>7}"
        f"{'goal':>6}{'bench':>7}"
    )
    for size, created, singles, fleet, spent in rows:
        print(
            f"{size:>6}{created:>12.1f}{singles:>16.1f}{fleet:>9.1f}{fleet / singles:>6.2f}x"
            f"{GOAL:>5.1f}x{spent:>7.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
