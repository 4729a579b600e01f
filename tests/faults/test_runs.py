"""Faults of the run itself and of a node, in direct mode: the ansible-runner process
cancelled (as the TUI cancels) during `database`, a kwok node holding the store's pods
deleted during `ready`, two creates of one store at once, and a delete while a create
of the same store runs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from storefleet_sandbox import SandboxClient
from tests.faults.injection import (
    CREATE,
    DELETE,
    CredentialsWatch,
    StoreRun,
    assert_absent,
    assert_ready,
    discard_store,
    fault_row,
    run_store,
)
from tests.integration.ansible_run import kubectl_json, store_pods
from tests.waiting import wait_for

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]


def test_runner_cancelled_during_database(platform: SandboxClient, workdir: Path) -> None:
    name = "cancelled"
    with CredentialsWatch(platform, name).running() as watch:
        try:
            first = StoreRun(platform, CREATE, name, workdir / f"{name}-1").start()
            first.reached("database")
            with fault_row("ansible-runner cancelled", "database"):
                first.cancel.set()
                cancelled = first.result()
                assert cancelled.status == "canceled", cancelled.explain()
                again = run_store(platform, CREATE, name, workdir / f"{name}-2")
                assert again.ok, again.explain()
                assert_ready(platform, name, watch)
        finally:
            discard_store(platform, name)


def node_manifest(sandbox: SandboxClient, node: str) -> dict[str, Any]:
    """The node as the sandbox made it, to bring a replacement of the same name back."""
    found = kubectl_json(sandbox, "get", "node", node)
    metadata = found["metadata"]
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": metadata["name"],
            "labels": metadata.get("labels", {}),
            "annotations": {"kwok.x-k8s.io/node": "fake"},
        },
        "status": {
            "capacity": found["status"]["capacity"],
            "allocatable": found["status"]["allocatable"],
        },
    }


def test_node_with_the_store_pods_deleted(platform: SandboxClient, workdir: Path) -> None:
    """The node is lost with the store's pods; a replacement of the same name joins (the
    store's volumes are bound to it), and the create run again converges."""
    name = "nodelost"
    with CredentialsWatch(platform, name).running() as watch:
        try:
            first = StoreRun(platform, CREATE, name, workdir / f"{name}-1").start()
            first.reached("ready")
            pods = wait_for(
                lambda: [p for p in store_pods(platform, name) if p["spec"].get("nodeName")],
                60,
                "store pods on a node",
            )
            node = pods[0]["spec"]["nodeName"]
            replacement = node_manifest(platform, node)
            with fault_row("kwok node with the store's pods deleted", "ready"):
                platform.kubectl("delete", "node", node, "--wait=true")
                # The pods bound to the lost node are garbage-collected before it returns.
                wait_for(
                    lambda: (
                        not any(
                            p["spec"].get("nodeName") == node for p in store_pods(platform, name)
                        )
                    ),
                    180,
                    f"the pods of the lost node {node} gone",
                    interval=2,
                )
                platform.kubectl("apply", "-f", "-", input_text=json.dumps(replacement))
                wait_for(
                    lambda: (
                        "True"
                        in platform.kubectl(
                            "get",
                            "node",
                            node,
                            "-o",
                            "jsonpath={.status.conditions[?(@.type=='Ready')].status}",
                        )
                    ),
                    60,
                    f"the replacement {node} Ready",
                )
                first.result()
                again = run_store(platform, CREATE, name, workdir / f"{name}-2")
                assert again.ok, again.explain()
                assert_ready(platform, name, watch)
        finally:
            discard_store(platform, name)


def test_two_creates_of_one_store_at_once(platform: SandboxClient, workdir: Path) -> None:
    name = "twice"
    with CredentialsWatch(platform, name).running() as watch:
        try:
            with fault_row("two store_create at once (direct)", "all"):
                runs = [
                    StoreRun(platform, CREATE, name, workdir / f"{name}-{key}").start()
                    for key in ("a", "b")
                ]
                for run in runs:
                    result = run.result()
                    assert result.ok, result.explain()
                again = run_store(platform, CREATE, name, workdir / f"{name}-again")
                assert again.ok, again.explain()
                assert again.changed == 0, again.changed_tasks()
                assert_ready(platform, name, watch)
        finally:
            discard_store(platform, name)


def test_delete_while_create_runs(platform: SandboxClient, workdir: Path) -> None:
    name = "racedel"
    create = StoreRun(platform, CREATE, name, workdir / f"{name}-create").start()
    create.reached("release")
    with fault_row("store_delete while store_create runs", "release"):
        delete = run_store(platform, DELETE, name, workdir / f"{name}-delete-1")
        created = create.result()
        assert created.ok, created.explain()
        assert delete.ok, delete.explain()
        # The delete waited for the create's lock: the store is gone, all of it.
        assert_absent(platform, name)
        again = run_store(platform, DELETE, name, workdir / f"{name}-delete-2")
        assert again.ok, again.explain()
        assert_absent(platform, name)
