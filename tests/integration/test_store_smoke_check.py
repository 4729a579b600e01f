"""playbooks/store_smoke_check.yml on the sandbox: the check AWX's workflow runs after
store-create. The store is placed on the simulated nodes, which serve nothing, so the
cluster is declared simulated and the HTTP requests are skipped (the store app's own
answers are tested by make e2e and the real-node tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storefleet_sandbox import SandboxClient
from tests.integration.ansible_run import run_playbook

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

PLAYBOOK = "storefleet.platform.store_smoke_check"
ON_SIMULATED_NODES = {
    "store_name": "smoke",
    "storefleet_cluster_simulated": True,
    "store_pod_node_selector": {},
    "store_pod_tolerations": [],
}


def test_missing_store_fails_with_its_name(platform: SandboxClient, workdir: Path) -> None:
    run = run_playbook(platform, PLAYBOOK, workdir / "missing", {"store_name": "nothere"})
    assert not run.ok
    assert "There is no store nothere." in run.failure_messages()


def test_invalid_name_is_refused_before_the_cluster_is_read(
    platform: SandboxClient, workdir: Path
) -> None:
    run = run_playbook(platform, PLAYBOOK, workdir / "invalid", {"store_name": "Shop_1"})
    assert not run.ok
    assert run.failed_tasks() == ["Refuse an invalid store name"]


def test_ready_store_passes_and_http_is_skipped_on_simulated_nodes(
    platform: SandboxClient, workdir: Path
) -> None:
    created = run_playbook(
        platform, "storefleet.platform.store_create", workdir / "create", {"store_name": "smoke"}
    )
    assert created.ok, created.explain()
    run = run_playbook(platform, PLAYBOOK, workdir / "check", {"store_name": "smoke"})
    assert run.ok, run.explain()
    assert "Store smoke is Ready." in run.stdout
    assert "the URLs were not requested" in run.stdout
    deleted = run_playbook(
        platform, "storefleet.platform.store_delete", workdir / "delete", {"store_name": "smoke"}
    )
    assert deleted.ok, deleted.explain()
