"""Faults of Argo mode: the workflow-controller killed in the middle of a store DAG (the
DAG finishes after the restart, the play following it too), and two creates of one
store submitted at once (the store's mutex runs them one after the other).

On the simulated nodes kwok plays the step pods (Ready, then Succeeded), so these
check the orchestration (workflows, the play, the mutex), not what a step does.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from storefleet_sandbox import SandboxClient
from storefleet_sandbox.client import REPO_ROOT
from storefleet_sandbox.components import Components
from tests.faults.injection import ARGO, CREATE, DELETE, StoreRun, fault_row, leftovers, run_store
from tests.integration.ansible_run import PLATFORM_NAMESPACE, kubectl_json, run_playbook
from tests.waiting import wait_for

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

ARGO_PLAYBOOK = str(REPO_ROOT / "playbooks" / "argo.yml")
CONTROLLER = "workflow-controller"
# A step in the middle of the DAG, with steps before and after it.
KILLED_DURING = "release"


@pytest.fixture(scope="module")
def argo(platform: SandboxClient, workdir: Path) -> SandboxClient:
    run = run_playbook(platform, ARGO_PLAYBOOK, workdir / "argo")
    assert run.ok, run.explain()
    return platform


def workflows(sandbox: SandboxClient, name: str) -> list[dict[str, Any]]:
    found = kubectl_json(
        sandbox, "-n", PLATFORM_NAMESPACE, "get", "workflows", "-l", f"storefleet.io/store={name}"
    )["items"]
    return sorted(found, key=lambda w: w["metadata"]["creationTimestamp"])


def step_started(sandbox: SandboxClient, name: str, step: str) -> str | None:
    """The DAG step `step` of the store's workflow once its pod exists, while the
    workflow still runs. On simulated nodes a step pod runs for about a second, too short
    to catch it Running by polling; the steps after it keep the workflow running."""
    for workflow in workflows(sandbox, name):
        status = workflow.get("status") or {}
        if status.get("phase") != "Running":
            continue
        for node in status.get("nodes", {}).values():
            shown = str(node.get("displayName", ""))
            # A retried step's pods are named release(0), release(1), ...
            if node.get("type") == "Pod" and shown.split("(", 1)[0] == step:
                return shown
    return None


def span(workflow: dict[str, Any]) -> tuple[str, str]:
    nodes = workflow["status"]["nodes"].values()
    return (
        min(n["startedAt"] for n in nodes if n.get("startedAt")),
        max(n["finishedAt"] for n in nodes if n.get("finishedAt")),
    )


def delete_store_afterwards(sandbox: SandboxClient, name: str, workdir: Path) -> None:
    removed = run_store(sandbox, DELETE, name, workdir / f"{name}-delete", ARGO)
    assert removed.ok, removed.explain()
    assert leftovers(sandbox, name) == []


def test_controller_killed_during_the_dag(
    argo: SandboxClient, components: Components, workdir: Path
) -> None:
    name = "argokill"
    try:
        first = StoreRun(argo, CREATE, name, workdir / f"{name}-1", ARGO).start()
        step = wait_for(
            lambda: step_started(argo, name, KILLED_DURING),
            300,
            f"the DAG step {KILLED_DURING}",
            interval=0.2,
        )
        with fault_row(f"{CONTROLLER} killed", f"{step} (DAG)"):
            components.stop(CONTROLLER, kill=True)
            time.sleep(5)
            components.start(CONTROLLER)
            followed = first.result()
            assert followed.ok, followed.explain()
            (workflow,) = workflows(argo, name)
            assert workflow["status"]["phase"] == "Succeeded", workflow["status"].get("message")
            again = run_store(argo, CREATE, name, workdir / f"{name}-2", ARGO)
            assert again.ok, again.explain()
            assert [w["status"]["phase"] for w in workflows(argo, name)] == ["Succeeded"] * 2
            assert leftovers(argo, name) == []
    finally:
        delete_store_afterwards(argo, name, workdir)


def test_two_argo_creates_of_one_store_at_once(argo: SandboxClient, workdir: Path) -> None:
    name = "argotwice"
    try:
        with fault_row("two store_create at once (Argo)", "all"):
            runs = [
                StoreRun(argo, CREATE, name, workdir / f"{name}-{key}", ARGO).start()
                for key in ("a", "b")
            ]
            for run in runs:
                result = run.result()
                assert result.ok, result.explain()
            both = workflows(argo, name)
            assert [w["status"]["phase"] for w in both] == ["Succeeded", "Succeeded"]
            # The store's mutex: no step of one ran before the other had finished. Which
            # of the two takes the mutex first is not the order they were created in
            # (both are created within the same second), so order them by when they ran.
            earlier, later = sorted(span(w) for w in both)
            assert later[0] >= earlier[1], (earlier, later)
            again = run_store(argo, CREATE, name, workdir / f"{name}-again", ARGO)
            assert again.ok, again.explain()
            assert leftovers(argo, name) == []
    finally:
        delete_store_afterwards(argo, name, workdir)
