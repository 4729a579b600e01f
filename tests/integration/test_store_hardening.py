"""One writer per store, recovery from a failed Job, and status messages of any length,
on the sandbox with the real playbooks (direct mode). Two runs of one store at once and a
delete racing a create are faults of the fault suite (tests/faults/test_runs.py)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from storefleet_sandbox import SandboxClient
from tests.integration.admission import (
    apply_policies,
    delete_policies,
    failing_bootstrap_policies,
)
from tests.integration.ansible_run import (
    PLATFORM_NAMESPACE,
    api_server_addresses,
    kubectl_json,
    namespace_exists,
    run_playbook,
    store,
)

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]


def delete_store(sandbox: SandboxClient, name: str, workdir: Path) -> None:
    run = run_playbook(sandbox, "storefleet.platform.store_delete", workdir, {"store_name": name})
    assert run.ok, run.explain()


@pytest.fixture
def held_lock(platform: SandboxClient) -> Iterator[str]:
    """The lock of store `held` taken by a run that is still going."""
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())
    lease = {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {"name": "store-held", "namespace": PLATFORM_NAMESPACE},
        "spec": {"holderIdentity": "ops@elsewhere/7f3a", "leaseDurationSeconds": 3600,
                 "acquireTime": now, "renewTime": now},
    }  # fmt: skip
    platform.kubectl("create", "-f", "-", input_text=json.dumps(lease))
    yield "held"
    platform.kubectl(
        "-n", PLATFORM_NAMESPACE, "delete", "lease", "store-held", "--ignore-not-found"
    )


def test_a_busy_store_is_refused_naming_the_holder(
    platform: SandboxClient, workdir: Path, held_lock: str
) -> None:
    run = run_playbook(
        platform,
        "storefleet.platform.store_create",
        workdir / "busy",
        {"store_name": held_lock, "store_lock_wait": 3},
    )
    assert not run.ok
    (message,) = run.failure_messages()
    assert "store held is busy: ops@elsewhere/7f3a holds its lock" in message
    assert f"kubectl -n {PLATFORM_NAMESPACE} delete lease store-held" in message
    assert store(platform, held_lock) is None
    assert not namespace_exists(platform, held_lock)


@pytest.fixture
def failing_bootstrap(platform: SandboxClient) -> Iterator[str]:
    """Bootstrap pods of store `jobfail` fail (kwok's exit-code annotation, added by a
    MutatingAdmissionPolicy) until the fixture ends; its bootstrap Jobs give up at the
    first failure instead of after the chart's retries (their back-off costs minutes)."""
    name = "jobfail"
    policies = failing_bootstrap_policies(name)
    apply_policies(platform, policies)
    yield name
    delete_policies(platform, list(policies))


def test_a_rerun_after_a_failed_job_starts_a_new_attempt(
    platform: SandboxClient, workdir: Path, failing_bootstrap: str
) -> None:
    name = failing_bootstrap
    try:
        failed = run_playbook(
            platform, "storefleet.platform.store_create", workdir / "jobfail-1",
            {"store_name": name},
        )  # fmt: skip
        assert not failed.ok
        assert any("bootstrap" in m and "failed" in m for m in failed.failure_messages()), (
            failed.explain()
        )
        assert store(platform, name)["status"]["phase"] == "Failed"
        # The cause is gone (the image fixed, the database back): the same request again.
        delete_policies(platform, ["test-fail-bootstrap", "test-fail-bootstrap-at-once"])
        again = run_playbook(
            platform, "storefleet.platform.store_create", workdir / "jobfail-2",
            {"store_name": name},
        )  # fmt: skip
        assert again.ok, again.explain()
        found = store(platform, name)
        assert found["status"]["phase"] == "Ready", found
        assert found["status"]["helmRevision"] == 2
        jobs = kubectl_json(platform, "-n", f"store-{name}", "get", "jobs")["items"]
        bootstrap = [j for j in jobs if j["metadata"]["name"].endswith("-bootstrap-r2")]
        assert bootstrap and bootstrap[0]["status"].get("succeeded") == 1, jobs
    finally:
        delete_store(platform, name, workdir / "jobfail-delete")


def test_a_failure_message_over_the_crd_limit_is_cut(
    platform: SandboxClient, workdir: Path
) -> None:
    name = "longfail"
    created = {
        "apiVersion": "storefleet.io/v1alpha1",
        "kind": "Store",
        "metadata": {"name": name, "namespace": PLATFORM_NAMESPACE},
        "spec": {"plan": "small"},
    }
    platform.kubectl("create", "-f", "-", input_text=json.dumps(created))
    playbook = workdir / "long-message.yml"
    playbook.write_text(
        "- hosts: storefleet_controller\n"
        "  gather_facts: false\n"
        "  tasks:\n"
        "    - name: Report a long failure\n"
        "      storefleet.platform.store_status:\n"
        "        kubeconfig: '{{ storefleet_kubeconfig }}'\n"
        f"        name: {name}\n"
        "        phase: Failed\n"
        "        message: \"{{ 'step release failed: ' ~ 'x' * 10000 ~ ' the end' }}\"\n"
    )
    try:
        run = run_playbook(platform, str(playbook), workdir / "long")
        assert run.ok, run.explain()
        status = store(platform, name)["status"]
        assert status["phase"] == "Failed"
        assert len(status["message"]) == 4096
        assert status["message"].startswith("step release failed: ")
        assert status["message"].endswith(" the end")
    finally:
        platform.kubectl("-n", PLATFORM_NAMESPACE, "delete", "store", name, "--ignore-not-found")


def test_the_admin_job_reaches_only_the_api_server(platform: SandboxClient, workdir: Path) -> None:
    name = "egress"
    run = run_playbook(
        platform,
        "storefleet.platform.store_create",
        workdir / "egress",
        {"store_name": name},
        tags="validate,record,namespace,guardrails",
    )
    try:
        assert run.ok, run.explain()
        addresses, ports = api_server_addresses(platform)
        policy = kubectl_json(
            platform, "-n", f"store-{name}", "get", "networkpolicy",
            "store-admin-egress-to-api-server",
        )  # fmt: skip
        (rule,) = policy["spec"]["egress"]
        assert {peer["ipBlock"]["cidr"] for peer in rule["to"]} == {f"{a}/32" for a in addresses}
        assert {port["port"] for port in rule["ports"]} == ports
        assert all("ipBlock" in peer for peer in rule["to"]), "no other peer may be reached"
    finally:
        delete_store(platform, name, workdir / "egress-delete")


def test_store_labels_are_kept_on_the_store(platform: SandboxClient, workdir: Path) -> None:
    name = "labelled"
    run = run_playbook(
        platform,
        "storefleet.platform.store_create",
        workdir / "labels",
        {"store_name": name, "store_labels": {"tier": "beta", "example.com/team": "shop"}},
        tags="validate,record",
    )
    try:
        assert run.ok, run.explain()
        listed = platform.kubectl(
            "-n", PLATFORM_NAMESPACE, "get", "stores", "-l", "tier=beta", "-o", "name"
        )
        assert listed.split() == [f"store.storefleet.io/{name}"]
        labels = store(platform, name)["metadata"]["labels"]
        assert labels["example.com/team"] == "shop"
        assert labels["storefleet.io/store"] == name
    finally:
        delete_store(platform, name, workdir / "labels-delete")


def test_a_reserved_label_is_refused_before_anything_exists(
    platform: SandboxClient, workdir: Path
) -> None:
    run = run_playbook(
        platform,
        "storefleet.platform.store_create",
        workdir / "reserved-label",
        {"store_name": "grabber", "store_labels": {"storefleet.io/store": "other"}},
    )
    assert not run.ok
    (message,) = run.failure_messages()
    assert "is reserved" in message
    assert store(platform, "grabber") is None
