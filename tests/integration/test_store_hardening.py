"""One writer per store, credentials written once, recovery from a failed Job, and status
messages of any length, on the sandbox with the real playbooks (direct mode)."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kubernetes import client as k8s
from kubernetes import config as k8s_config
from kubernetes import watch
from kubernetes.client.exceptions import ApiException
from urllib3.exceptions import ProtocolError

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
    run_playbooks_at_once,
    store,
)
from tests.waiting import wait_for

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

CREDENTIALS = "store-credentials"


@pytest.fixture(scope="module")
def core(platform: SandboxClient) -> k8s.CoreV1Api:
    return k8s.CoreV1Api(k8s_config.new_client_from_config(str(platform.kubeconfig)))


def delete_store(sandbox: SandboxClient, name: str, workdir: Path) -> None:
    run = run_playbook(sandbox, "storefleet.platform.store_delete", workdir, {"store_name": name})
    assert run.ok, run.explain()


class SecretWatch:
    """Every write of one Secret while something runs: (event type, digest of its data)."""

    def __init__(self, core: k8s.CoreV1Api, namespace: str, name: str) -> None:
        self.core, self.namespace, self.name = core, namespace, name
        self.events: list[tuple[str, str]] = []
        self._watch = watch.Watch()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> SecretWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopped.set()
        self._watch.stop()
        self._thread.join(timeout=15)

    def _run(self) -> None:
        # A store namespace that does not exist yet lists empty and is watched all the same.
        # A watch the API server ends early is resumed where it stopped: no write is missed.
        resource_version = None
        while not self._stopped.is_set():
            try:
                for event in self._watch.stream(
                    self.core.list_namespaced_secret,
                    self.namespace,
                    field_selector=f"metadata.name={self.name}",
                    resource_version=resource_version,
                    timeout_seconds=600,
                ):
                    resource_version = event["object"].metadata.resource_version
                    data = event["object"].data or {}
                    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
                    self.events.append((event["type"], digest))
            except (ProtocolError, ApiException):
                continue


def secret_digest(sandbox: SandboxClient, name: str) -> str:
    data = kubectl_json(sandbox, "-n", f"store-{name}", "get", "secret", CREDENTIALS)["data"]
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def test_two_creates_of_one_store_write_its_credentials_once(
    platform: SandboxClient, core: k8s.CoreV1Api, workdir: Path
) -> None:
    name = "twins"
    try:
        with SecretWatch(core, f"store-{name}", CREDENTIALS) as secret:
            runs = run_playbooks_at_once(
                platform,
                {
                    key: ("storefleet.platform.store_create", {"store_name": name})
                    for key in ("first", "second")
                },
                workdir / "twins",
            )
            wait_for(lambda: secret.events, timeout=30, what="the Secret's first event")
        # One waited for the other (or, past its wait, failed naming the holder).
        for run in runs.values():
            assert run.ok or any("is busy" in m for m in run.failure_messages()), run.explain()
        assert any(run.ok for run in runs.values())
        found = store(platform, name)
        assert found is not None and found["status"]["phase"] == "Ready", found
        # Written once: one ADDED, never MODIFIED, and its values are the first generated.
        kinds = [kind for kind, _ in secret.events]
        assert kinds == ["ADDED"], secret.events
        assert secret_digest(platform, name) == secret.events[0][1]
        # The lock is given back.
        leases = kubectl_json(platform, "-n", PLATFORM_NAMESPACE, "get", "leases")["items"]
        assert f"store-{name}" not in {lease["metadata"]["name"] for lease in leases}
    finally:
        delete_store(platform, name, workdir / "twins-delete")


def test_delete_racing_a_create_leaves_no_namespace_without_its_store(
    platform: SandboxClient, workdir: Path
) -> None:
    name = "racer"
    results: dict[str, Any] = {}

    def create() -> None:
        results["create"] = run_playbook(
            platform, "storefleet.platform.store_create", workdir / "race-create",
            {"store_name": name},
        )  # fmt: skip

    creator = threading.Thread(target=create)
    creator.start()
    try:
        # Delete as soon as the Store is recorded: in the middle of the create.
        wait_for(lambda: store(platform, name) is not None, timeout=120, what="the Store")
        deleted = run_playbook(
            platform, "storefleet.platform.store_delete", workdir / "race-delete",
            {"store_name": name},
        )  # fmt: skip
        creator.join(timeout=600)
        assert deleted.ok, deleted.explain()
        # Whatever the create did meanwhile, it did not outlive the delete.
        assert store(platform, name) is None
        wait_for(lambda: not namespace_exists(platform, name), timeout=120, what="no namespace")
    finally:
        creator.join(timeout=600)
        if store(platform, name) is not None or namespace_exists(platform, name):
            delete_store(platform, name, workdir / "race-cleanup")


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
