#!/usr/bin/env python3
"""Store create (to Ready) and delete: the playbooks against a plain shell script.

Both do the same helm + kubectl work on the same sandbox in the same run; the table
shows wall times and the ratio playbook / script (goal: at most 2x).

STOREFLEET_SANDBOX_DIR=<dir> attaches to a running sandbox instead of starting one.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from storefleet_sandbox import Sandbox, SandboxClient  # noqa: E402
from tests.integration.ansible_run import ON_SIMULATED_NODES  # noqa: E402

ROUNDS = int(os.environ.get("STOREFLEET_BENCH_ROUNDS", "2"))
BASELINE = REPO_ROOT / "tests" / "bench" / "store_lifecycle_baseline.sh"
PROFILED_TASKS = 8
GOAL = 2.0


@contextlib.contextmanager
def sandbox_cluster() -> Iterator[SandboxClient]:
    attach_to = os.environ.get("STOREFLEET_SANDBOX_DIR")
    if attach_to:
        yield SandboxClient(Path(attach_to))
        return
    with tempfile.TemporaryDirectory(prefix="store-bench-") as tmp, Sandbox(Path(tmp)) as cluster:
        yield cluster


def environment(sandbox: SandboxClient) -> dict[str, str]:
    env = sandbox.env()
    return {
        **env,
        "ANSIBLE_CONFIG": str(REPO_ROOT / "ansible.cfg"),
        "STOREFLEET_KUBECONFIG": str(sandbox.kubeconfig),
        "PATH": f"{REPO_ROOT / '.venv' / 'bin'}{os.pathsep}{env['PATH']}",
    }


def run(argv: list[str], env: dict[str, str], check: bool = True) -> str:
    result = subprocess.run(argv, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    run(argv, env)
    return time.monotonic() - started


def slowest_tasks(argv: list[str], env: dict[str, str], count: int = PROFILED_TASKS) -> list[str]:
    """The playbook's slowest tasks, from ansible.posix.profile_tasks (a run of its own,
    not in the medians: the callback adds its own cost)."""
    profiled = {
        **env,
        "ANSIBLE_CALLBACKS_ENABLED": "ansible.posix.profile_tasks",
        "PROFILE_TASKS_TASK_OUTPUT_LIMIT": str(count),
    }
    recap = run(argv, profiled).partition("TASKS RECAP")[2]
    return [line.strip() for line in recap.splitlines() if line.rstrip().endswith("s")][-count:]


def playbook(name: str, store: str) -> list[str]:
    # The baseline script's pods land on the simulated nodes: so do the playbook's.
    extravars = {**ON_SIMULATED_NODES, "store_name": store}
    return ["ansible-playbook", f"storefleet.platform.{name}", "-e", json.dumps(extravars)]


def main() -> int:
    rows: dict[str, list[float]] = {
        key: [] for key in ("pb-create", "pb-delete", "sh-create", "sh-delete")
    }
    with sandbox_cluster() as sandbox:
        env = environment(sandbox)
        platform = ["ansible-playbook", "storefleet.platform.platform"]
        timed([*platform, "-e", json.dumps(ON_SIMULATED_NODES)], env)
        for round_number in range(ROUNDS):
            store = f"bench{round_number}"
            rows["pb-create"].append(timed(playbook("store_create", store), env))
            rows["pb-delete"].append(timed(playbook("store_delete", store), env))
            script = f"script{round_number}"
            rows["sh-create"].append(timed([str(BASELINE), "create", script], env))
            rows["sh-delete"].append(timed([str(BASELINE), "delete", script], env))
        profile = {
            step: slowest_tasks(playbook(f"store_{step}", "profiled"), env)
            for step in ("create", "delete")
        }

    median = {key: statistics.median(values) for key, values in rows.items()}
    print(f"store lifecycle on the sandbox, median of {ROUNDS} rounds (seconds)")
    print(f"{'step':<22}{'playbook':>10}{'script':>10}{'ratio':>8}{'goal':>6}")
    for step, label in (("create", "create to Ready"), ("delete", "delete")):
        ours, theirs = median[f"pb-{step}"], median[f"sh-{step}"]
        print(f"{label:<22}{ours:>10.1f}{theirs:>10.1f}{ours / theirs:>7.2f}x{GOAL:>5.1f}x")
    ours = median["pb-create"] + median["pb-delete"]
    theirs = median["sh-create"] + median["sh-delete"]
    label = "create + delete"
    print(f"{label:<22}{ours:>10.1f}{theirs:>10.1f}{ours / theirs:>7.2f}x{GOAL:>5.1f}x")
    for step, tasks in profile.items():
        print(f"slowest tasks of store_{step} (ansible.posix.profile_tasks):")
        for task in tasks:
            print(f"  {task}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
