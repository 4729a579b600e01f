"""One store's whole life on the sandbox, through the real playbooks.

create -> create again (no change) -> upgrade -> roll back -> delete -> delete again.
The tests run in file order and share the store `demo`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storefleet_sandbox import SandboxClient
from tests.helm import helm_history
from tests.integration.ansible_run import (
    PLATFORM_NAMESPACE,
    QuotaWatch,
    assert_not_changed,
    deployment_images,
    kubectl_json,
    namespace_exists,
    quota_failed_create_events,
    run_playbook,
    running_pods_ready,
    store,
)
from tests.waiting import wait_for

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

NAME = "demo"
NAMESPACE = f"store-{NAME}"
DOMAIN = "sandbox.127.0.0.1.nip.io"
CREDENTIAL_KEYS = {
    "postgres-password",
    "jwt-secret",
    "cookie-secret",
    "admin-email",
    "admin-password",
}


def test_create_makes_a_ready_store(platform: SandboxClient, workdir: Path) -> None:
    sandbox = platform
    run = run_playbook(
        sandbox, "storefleet.platform.store_create", workdir / "create", {"store_name": NAME}
    )
    assert run.ok, run.explain()

    found = store(sandbox, NAME)
    assert found is not None
    status = found["status"]
    assert status["phase"] == "Ready", status
    assert status["urls"] == {
        "storefront": f"http://{NAME}.{DOMAIN}",
        "api": f"http://{NAME}.{DOMAIN}",
        "admin": f"http://{NAME}.{DOMAIN}/app",
    }
    assert status["helmRevision"] == 1
    assert status.get("readyAt")
    assert found["spec"]["plan"] == "small"
    assert found["spec"]["engine"] == "medusa"

    # Every long-running pod Ready, both Jobs of revision 1 complete.
    assert running_pods_ready(sandbox, NAME)
    jobs = {
        job["metadata"]["name"]: job
        for job in kubectl_json(sandbox, "-n", NAMESPACE, "get", "jobs")["items"]
    }
    assert {name.rsplit("-", 1)[-1] for name in jobs} == {"r1"}
    assert all(job["status"].get("succeeded") == 1 for job in jobs.values()), jobs.keys()

    namespace = kubectl_json(sandbox, "get", "namespace", NAMESPACE)
    labels = namespace["metadata"]["labels"]
    assert labels["app.kubernetes.io/managed-by"] == "storefleet"
    assert labels["storefleet.io/store"] == NAME
    for mode in ("enforce", "audit", "warn"):
        assert labels[f"pod-security.kubernetes.io/{mode}"] == "restricted"

    quota = kubectl_json(sandbox, "-n", NAMESPACE, "get", "resourcequota", "store-quota")
    assert {"limits.cpu", "limits.memory", "requests.cpu", "requests.memory", "pods"} <= set(
        quota["spec"]["hard"]
    )
    assert kubectl_json(sandbox, "-n", NAMESPACE, "get", "limitrange", "store-limits")

    policies = {
        policy["metadata"]["name"]: policy["spec"]
        for policy in kubectl_json(sandbox, "-n", NAMESPACE, "get", "networkpolicies")["items"]
    }
    deny = policies["store-default-deny"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
    dns = policies["store-allow-dns-egress"]["egress"][0]
    assert {port["port"] for port in dns["ports"]} == {53}
    web = policies["store-allow-edge"]["ingress"][0]["from"][0]
    assert web["namespaceSelector"]["matchLabels"] == {"kubernetes.io/metadata.name": "kube-system"}
    assert web["podSelector"]["matchLabels"]["app.kubernetes.io/name"] == "traefik"
    for database in ("postgresql", "redis"):
        allowed = policies[f"store-allow-backend-to-{database}"]["ingress"][0]["from"][0]
        components = allowed["podSelector"]["matchExpressions"][0]["values"]
        assert "storefront" not in components and "backend" in components

    secret = kubectl_json(sandbox, "-n", NAMESPACE, "get", "secret", "store-credentials")
    assert set(secret["data"]) == CREDENTIAL_KEYS

    releases = kubectl_json(
        sandbox, "-n", NAMESPACE, "get", "secrets", "-l", "owner=helm,status=deployed"
    )
    assert [r["metadata"]["labels"]["name"] for r in releases["items"]] == [NAME]

    # One origin: the store's route on the platform's Gateway carries its one host.
    routes = kubectl_json(sandbox, "-n", NAMESPACE, "get", "httproutes")["items"]
    assert [route["spec"]["hostnames"] for route in routes] == [[f"{NAME}.{DOMAIN}"]]


def test_create_again_changes_nothing(platform: SandboxClient, workdir: Path) -> None:
    before = store(platform, NAME)
    secret_before = kubectl_json(platform, "-n", NAMESPACE, "get", "secret", "store-credentials")
    run = run_playbook(
        platform, "storefleet.platform.store_create", workdir / "create-again", {"store_name": NAME}
    )
    assert_not_changed(run)
    after = store(platform, NAME)
    assert after is not None and before is not None
    assert after["status"] == before["status"]
    secret_after = kubectl_json(platform, "-n", NAMESPACE, "get", "secret", "store-credentials")
    assert secret_after["data"] == secret_before["data"]
    assert len(helm_history(platform, NAME)) == 1


def test_upgrade_then_rollback_within_quota(platform: SandboxClient, workdir: Path) -> None:
    sandbox = platform
    # The store runs the platform's images: the default tag, or the ones the images role
    # recorded when an earlier test built them on this sandbox.
    old_images = deployment_images(sandbox, NAME)
    old_spec = store(sandbox, NAME)
    assert old_spec is not None
    assert old_images["backend"] == old_spec["spec"]["backendImage"]
    assert not old_images["backend"].endswith(":0.2.0")

    with QuotaWatch(sandbox, NAME) as watch:
        upgrade = run_playbook(
            sandbox,
            "storefleet.platform.store_upgrade",
            workdir / "upgrade",
            {
                "store_name": NAME,
                "store_backend_image_tag": "0.2.0",
                "store_storefront_image_tag": "0.2.0",
            },
        )
        assert upgrade.ok, upgrade.explain()
        found = store(sandbox, NAME)
        assert found is not None
        assert found["status"]["phase"] == "Ready"
        assert found["status"]["helmRevision"] == 2
        assert found["spec"]["backendImage"].endswith(":0.2.0")
        images = deployment_images(sandbox, NAME)
        assert all(
            image.endswith(":0.2.0") for component, image in images.items() if component != "redis"
        )
        assert running_pods_ready(sandbox, NAME)

        rollback = run_playbook(
            sandbox,
            "storefleet.platform.store_rollback",
            workdir / "rollback",
            {"store_name": NAME},
        )
        assert rollback.ok, rollback.explain()

    found = store(sandbox, NAME)
    assert found is not None
    assert found["status"]["phase"] == "Ready"
    assert found["status"]["helmRevision"] == 3
    # The Store follows the release, so a later create keeps the rolled-back images.
    assert found["spec"]["backendImage"] == old_images["backend"]
    assert deployment_images(sandbox, NAME) == old_images
    history = helm_history(sandbox, NAME)
    assert [entry["revision"] for entry in history] == [1, 2, 3]
    assert "Rollback to 1" in history[-1]["description"]
    wait_for(lambda: running_pods_ready(sandbox, NAME), 60, "store pods Ready after rollback")

    assert watch.samples > 0
    assert watch.overruns == []
    assert quota_failed_create_events(sandbox, NAME) == []

    again = run_playbook(
        sandbox,
        "storefleet.platform.store_create",
        workdir / "create-after-rollback",
        {"store_name": NAME},
    )
    assert_not_changed(again)


def test_unknown_rollback_revision_is_refused(platform: SandboxClient, workdir: Path) -> None:
    run = run_playbook(
        platform,
        "storefleet.platform.store_rollback",
        workdir / "rollback-unknown",
        {"store_name": NAME, "store_rollback_revision": 42},
    )
    assert not run.ok
    assert any("revisions 1, 2, 3" in message for message in run.failure_messages()), run.explain()
    assert len(helm_history(platform, NAME)) == 3


def test_delete_removes_everything(platform: SandboxClient, workdir: Path) -> None:
    sandbox = platform
    run = run_playbook(
        sandbox, "storefleet.platform.store_delete", workdir / "delete", {"store_name": NAME}
    )
    assert run.ok, run.explain()
    assert store(sandbox, NAME) is None
    assert not namespace_exists(sandbox, NAME)
    assert helm_history(sandbox, NAME) == []
    claims = kubectl_json(sandbox, "get", "pvc", "--all-namespaces")["items"]
    assert [c for c in claims if c["metadata"]["namespace"] == NAMESPACE] == []
    assert (
        sandbox.kubectl(
            "-n", PLATFORM_NAMESPACE, "get", "stores.storefleet.io", "-o", "name"
        ).strip()
        == ""
    )

    again = run_playbook(
        sandbox, "storefleet.platform.store_delete", workdir / "delete-again", {"store_name": NAME}
    )
    assert_not_changed(again)
