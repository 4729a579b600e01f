"""A store's data on the sandbox, through the real playbooks: the uploads and backups
volumes in the quota, a backup on request and before every upgrade, a rollback refused
past a migration or done with the pre-upgrade backup, a restore, and the refusals.

No container runs on kwok nodes: the Jobs complete (or fail, asked by the annotation
sandbox.storefleet.io/exit-code) without running their command, so what is proven here
is the objects, their order, the quota and the playbooks' decisions; the commands
themselves are proven by tests/e2e/test_backup_restore.py. The tests run in file order
and share the store `ledger`.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from storefleet_sandbox import SandboxClient
from tests.helm import helm, helm_history
from tests.integration.ansible_run import (
    PLATFORM_NAMESPACE,
    PlaybookRun,
    QuotaWatch,
    assert_not_changed,
    kubectl_json,
    quota_failed_create_events,
    run_playbook,
    running_pods_ready,
    store,
)
from tests.waiting import wait_for

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

NAME = "ledger"
NAMESPACE = f"store-{NAME}"
UPGRADED_TAG = "0.2.0-data"
NEWER_SCHEMA = {"sandbox.storefleet.io/exit-code": "3"}


@pytest.fixture(scope="module")
def runs() -> list[PlaybookRun]:
    """Every run of the module, searched for credentials at the end."""
    return []


def play(
    sandbox: SandboxClient, runs: list[PlaybookRun], workdir: Path, name: str, **extravars: Any
) -> PlaybookRun:
    playbook, _, step = name.partition(":")
    run = run_playbook(
        sandbox,
        f"storefleet.platform.{playbook}",
        workdir / f"{playbook}-{step or len(runs)}",
        {"store_name": NAME, **extravars},
    )
    runs.append(run)
    return run


def backups(sandbox: SandboxClient) -> list[dict[str, Any]]:
    found = sandbox.kubectl(
        "-n", NAMESPACE, "get", "configmap", "store-backups", "--ignore-not-found", "-o", "json"
    )
    data = json.loads(found).get("data", {}) if found.strip() else {}
    return sorted((json.loads(record) for record in data.values()), key=lambda r: r["name"])


def data_jobs(sandbox: SandboxClient) -> dict[str, list[dict[str, Any]]]:
    """The store's backup, restore and schema-check Jobs, oldest first, by action."""
    jobs = kubectl_json(
        sandbox,
        "-n",
        NAMESPACE,
        "get",
        "jobs",
        "-l",
        "app.kubernetes.io/component in (backup,restore,schema-check)",
    )["items"]
    found: dict[str, list[dict[str, Any]]] = {}
    for job in sorted(jobs, key=lambda job: job["metadata"]["creationTimestamp"]):
        found.setdefault(job["metadata"]["labels"]["app.kubernetes.io/component"], []).append(job)
    return found


def backend_image(sandbox: SandboxClient, revision: int) -> str:
    """The backend image of a Helm revision of the store."""
    values = helm(
        sandbox, "-n", NAMESPACE, "get", "values", NAME, "--revision", str(revision), "-o", "json"
    )
    backend = json.loads(values)["images"]["backend"]
    return f"{backend['repository']}:{backend['tag']}"


def with_upgraded_tag(image: str) -> str:
    return f"{image.rsplit(':', 1)[0]}:{UPGRADED_TAG}"


def image_of(job: dict[str, Any]) -> str:
    (container,) = job["spec"]["template"]["spec"]["containers"]
    return str(container["image"])


def claims(sandbox: SandboxClient) -> dict[str, str]:
    items = kubectl_json(sandbox, "-n", NAMESPACE, "get", "pvc")["items"]
    return {item["metadata"]["name"]: item["status"]["phase"] for item in items}


def medusa_replicas(sandbox: SandboxClient) -> dict[str, int]:
    deployments = kubectl_json(sandbox, "-n", NAMESPACE, "get", "deployments")["items"]
    return {d["metadata"]["name"]: d["spec"]["replicas"] for d in deployments}


def test_a_new_store_has_an_uploads_volume_in_its_quota(
    platform: SandboxClient, workdir: Path, runs: list[PlaybookRun]
) -> None:
    created = play(platform, runs, workdir, "store_create:create")
    assert created.ok, created.explain()
    # The backups volume comes with the first backup; nothing is backed up on create.
    assert claims(platform) == {
        "data-ledger-store-postgresql-0": "Bound",
        "ledger-store-uploads": "Bound",
    }
    assert backups(platform) == []
    assert data_jobs(platform) == {}

    quota = kubectl_json(platform, "-n", NAMESPACE, "get", "resourcequota", "store-quota")
    # The small plan: database 5Gi, uploads 2Gi, backups 5Gi; three claims.
    assert quota["spec"]["hard"]["persistentvolumeclaims"] == "3"
    assert quota["spec"]["hard"]["requests.storage"] == "12Gi"
    limits = kubectl_json(platform, "-n", NAMESPACE, "get", "limitrange", "store-limits")
    (claim_limit,) = (
        item for item in limits["spec"]["limits"] if item["type"] == "PersistentVolumeClaim"
    )
    assert claim_limit["max"]["storage"] == "5Gi"

    policies = {
        policy["metadata"]["name"]: policy["spec"]
        for policy in kubectl_json(platform, "-n", NAMESPACE, "get", "networkpolicies")["items"]
    }
    egress = policies["store-data-jobs-egress"]
    assert egress["podSelector"]["matchExpressions"][0]["values"] == [
        "backup",
        "restore",
        "schema-check",
    ]
    assert egress["egress"] == [
        {
            "to": [{"podSelector": {"matchLabels": {"app.kubernetes.io/component": "postgresql"}}}],
            "ports": [{"protocol": "TCP", "port": 5432}],
        }
    ]
    to_postgresql = policies["store-allow-backend-to-postgresql"]["ingress"][0]["from"][0]
    assert {"backup", "restore", "schema-check"} <= set(
        to_postgresql["podSelector"]["matchExpressions"][0]["values"]
    )
    to_redis = policies["store-allow-backend-to-redis"]["ingress"][0]["from"][0]
    assert "backup" not in to_redis["podSelector"]["matchExpressions"][0]["values"]


def test_a_backup_on_request_is_listed(
    platform: SandboxClient, workdir: Path, runs: list[PlaybookRun]
) -> None:
    taken = play(platform, runs, workdir, "store_backup:take")
    assert taken.ok, taken.explain()
    (record,) = backups(platform)
    assert record["reason"] == "on-request"
    assert record["revision"] == 1
    assert record["backendImage"] == record["takenWith"] == backend_image(platform, 1)
    # No container ran to measure it.
    assert record["bytes"] is None
    assert record["name"] in taken.stdout

    (job,) = data_jobs(platform)["backup"]
    assert job["status"]["succeeded"] == 1
    assert job["metadata"]["labels"]["storefleet.io/backup"] == record["name"]
    assert claims(platform)["ledger-store-backups"] == "Bound"

    listed = play(platform, runs, workdir, "store_backup:list", store_backup_take=False)
    assert_not_changed(listed)
    assert record["name"] in listed.stdout
    assert len(data_jobs(platform)["backup"]) == 1


def test_an_upgrade_backs_up_first_with_the_new_image(
    platform: SandboxClient, workdir: Path, runs: list[PlaybookRun]
) -> None:
    with QuotaWatch(platform, NAME) as watch:
        upgraded = play(
            platform, runs, workdir, "store_upgrade:upgrade", store_backend_image_tag=UPGRADED_TAG
        )
        assert upgraded.ok, upgraded.explain()
    assert [entry["revision"] for entry in helm_history(platform, NAME)] == [1, 2]
    on_request, pre_upgrade = backups(platform)
    assert on_request["reason"] == "on-request"
    assert pre_upgrade["reason"] == "pre-upgrade"
    # The data is revision 1's; the new image took it.
    assert pre_upgrade["revision"] == 1
    first = backend_image(platform, 1)
    assert pre_upgrade["backendImage"] == first
    assert pre_upgrade["takenWith"] == with_upgraded_tag(first) == backend_image(platform, 2)
    latest = data_jobs(platform)["backup"][-1]
    assert image_of(latest) == with_upgraded_tag(first)
    # The backup ran before the new revision existed.
    revision_2 = kubectl_json(platform, "-n", NAMESPACE, "get", "job", "ledger-store-bootstrap-r2")
    assert latest["metadata"]["creationTimestamp"] <= revision_2["metadata"]["creationTimestamp"]
    assert watch.overruns == []

    again = play(
        platform, runs, workdir, "store_upgrade:again", store_backend_image_tag=UPGRADED_TAG
    )
    assert_not_changed(again)
    assert len(backups(platform)) == 2


def test_a_rollback_past_a_migration_is_refused(
    platform: SandboxClient, workdir: Path, runs: list[PlaybookRun]
) -> None:
    refused = play(
        platform,
        runs,
        workdir,
        "store_rollback:refused",
        store_data_job_pod_annotations=NEWER_SCHEMA,
    )
    assert not refused.ok
    (message,) = refused.failure_messages()
    assert message.startswith(
        "Rollback of store ledger to revision 1 refused: its database schema is newer than"
        f" that revision's backend image {backend_image(platform, 1)} supports."
    )
    assert "store_rollback_restore_backup=true" in message
    (check,) = data_jobs(platform)["schema-check"]
    assert image_of(check) == backend_image(platform, 1)
    assert check["status"].get("failed") == 1
    # Nothing else moved: no revision, no restore, the store still Ready.
    assert [entry["revision"] for entry in helm_history(platform, NAME)] == [1, 2]
    assert "restore" not in data_jobs(platform)
    found = store(platform, NAME)
    assert found is not None and found["status"]["phase"] == "Ready"


def test_a_rollback_can_restore_the_pre_upgrade_backup(
    platform: SandboxClient, workdir: Path, runs: list[PlaybookRun]
) -> None:
    replicas = medusa_replicas(platform)
    pre_upgrade = backups(platform)[-1]
    with QuotaWatch(platform, NAME) as watch:
        rolled = play(
            platform, runs, workdir, "store_rollback:restore", store_rollback_restore_backup=True
        )
        assert rolled.ok, rolled.explain()
    assert watch.overruns == []
    assert quota_failed_create_events(platform, NAME) == []

    history = helm_history(platform, NAME)
    assert [entry["revision"] for entry in history] == [1, 2, 3]
    assert "Rollback to 1" in history[-1]["description"]
    jobs = data_jobs(platform)
    (restore,) = jobs["restore"]
    assert restore["metadata"]["labels"]["storefleet.io/backup"] == pre_upgrade["name"]
    assert image_of(restore) == pre_upgrade["takenWith"]
    # The data it replaced is kept, in full, as revision 2's.
    pre_restore = backups(platform)[-1]
    assert (pre_restore["reason"], pre_restore["revision"]) == ("pre-restore", 2)
    assert (
        jobs["backup"][-1]["metadata"]["creationTimestamp"]
        <= restore["metadata"]["creationTimestamp"]
    )
    # Only the one schema check of the refused rollback: restoring needs none.
    assert len(jobs["schema-check"]) == 1

    assert medusa_replicas(platform) == replicas
    wait_for(lambda: running_pods_ready(platform, NAME), 60, "store pods Ready after rollback")
    found = store(platform, NAME)
    assert found is not None
    assert found["status"]["phase"] == "Ready"
    assert found["spec"]["backendImage"] == backend_image(platform, 1)


def test_a_restore_of_an_unknown_backup_is_refused(
    platform: SandboxClient, workdir: Path, runs: list[PlaybookRun]
) -> None:
    jobs_before = data_jobs(platform)
    refused = play(
        platform, runs, workdir, "store_restore:unknown", store_restore_backup="20990101-000000-x"
    )
    assert not refused.ok
    (message,) = refused.failure_messages()
    assert message.startswith('Store ledger has no backup named "20990101-000000-x"; its backups: ')
    assert all(record["name"] in message for record in backups(platform))
    assert data_jobs(platform) == jobs_before
    assert medusa_replicas(platform)["ledger-store-backend"] == 1

    missing = play(platform, runs, workdir, "store_backup:missing", store_name="nosuchstore")
    assert not missing.ok
    assert missing.failure_messages() == [
        "There is no store named nosuchstore: nothing to back up."
    ]


def test_a_restore_stops_the_store_and_starts_it_again(
    platform: SandboxClient, workdir: Path, runs: list[PlaybookRun]
) -> None:
    replicas = medusa_replicas(platform)
    pre_restore = backups(platform)[-1]
    restored = play(
        platform, runs, workdir, "store_restore:restore", store_restore_backup=pre_restore["name"]
    )
    assert restored.ok, restored.explain()
    restores = data_jobs(platform)["restore"]
    assert len(restores) == 2
    assert restores[-1]["metadata"]["labels"]["storefleet.io/backup"] == pre_restore["name"]
    # The backup before a restore keeps every earlier one (it may be the way back).
    assert [record["reason"] for record in backups(platform)][-1] == "pre-restore"
    assert pre_restore in backups(platform)
    # Helm saw no new revision: the store was stopped and started, not released.
    assert len(helm_history(platform, NAME)) == 3
    assert medusa_replicas(platform) == replicas
    found = store(platform, NAME)
    assert found is not None and found["status"]["phase"] == "Ready"
    assert "Restoring backup" not in found["status"].get("message", "")


def test_a_rollback_without_a_backup_of_its_revision_is_refused(
    platform: SandboxClient, workdir: Path, runs: list[PlaybookRun]
) -> None:
    platform.kubectl(
        "-n", NAMESPACE, "patch", "configmap", "store-backups", "--type=json",
        "-p", '[{"op": "replace", "path": "/data", "value": {}}]',
    )  # fmt: skip
    refused = play(
        platform,
        runs,
        workdir,
        "store_rollback:no-backup",
        store_rollback_revision=2,
        store_rollback_restore_backup=True,
    )
    assert not refused.ok
    (message,) = refused.failure_messages()
    assert message.startswith(
        "Cannot restore the data of revision 2 of store ledger: none of its backups was taken"
    )
    assert len(helm_history(platform, NAME)) == 3


def test_no_run_recorded_a_credential(
    platform: SandboxClient, workdir: Path, runs: list[PlaybookRun]
) -> None:
    secret = kubectl_json(platform, "-n", NAMESPACE, "get", "secret", "store-credentials")
    values = [base64.b64decode(value).decode() for value in secret["data"].values()]
    secrets = [value for value in values if "@" not in value]  # the admin e-mail is no secret
    assert len(runs) >= 10 and len(secrets) == 4
    for run in runs:
        for path in run.artifact_files():
            text = path.read_text(errors="replace")
            assert not any(value in text for value in secrets), path


def test_delete_removes_every_volume(
    platform: SandboxClient, workdir: Path, runs: list[PlaybookRun]
) -> None:
    deleted = play(platform, runs, workdir, "store_delete:delete")
    assert deleted.ok, deleted.explain()
    assert store(platform, NAME) is None
    remaining = kubectl_json(platform, "get", "pvc", "--all-namespaces")["items"]
    assert [claim for claim in remaining if claim["metadata"]["namespace"] == NAMESPACE] == []
    assert not platform.kubectl(
        "-n", PLATFORM_NAMESPACE, "get", "stores.storefleet.io", NAME, "--ignore-not-found"
    ).strip()
