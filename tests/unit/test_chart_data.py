"""The store's data in charts/store: the uploads and backups volumes, the data Job
(backup, restore, schema check), tolerations on every pod and the one Medusa pod
template, rendered with real helm."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helm import helm_template
from tests.unit.chart import (
    PLANS,
    VALUES,
    Manifest,
    by_component,
    component,
    containers,
    env_of,
    of_kind,
    pod_specs,
    render,
    render_plan,
)

DATA_JOB = "templates/data-job.yaml"
BACKUPS = "templates/backups-pvc.yaml"
RUN = "20260131-093000"
BACKUP = "20260131-093000-pre-upgrade"
DATABASE_ENV = {"POSTGRES_PASSWORD", "DATABASE_URL"}
TOLERATIONS = [
    {"key": "dedicated", "operator": "Equal", "value": "stores", "effect": "NoSchedule"},
    {
        "key": "node.kubernetes.io/unreachable",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 30,
    },
]


def backup_args(action: str, backup: str = BACKUP) -> list[str]:
    args = ["--set", f"dataJob.action={action}", "--set", f"dataJob.run={RUN}"]
    return [*args, "--set", f"dataJob.backup={backup}"] if backup else args


def data_job(action: str, *extra: str, backup: str = BACKUP) -> Manifest:
    (job,) = render("--show-only", DATA_JOB, *backup_args(action, backup), *extra)
    return job


def pod_of(job: Manifest) -> Manifest:
    return job["spec"]["template"]["spec"]


def values_file(tmp_path: Path, values: dict[str, Any]) -> str:
    path = tmp_path / "values.yaml"
    path.write_text(yaml.safe_dump(values))
    return str(path)


# --- Tolerations and the Medusa pod template -----------------------------------------


def test_tolerations_reach_every_pod(tmp_path: Path) -> None:
    tolerations = values_file(tmp_path, {"tolerations": TOLERATIONS})
    docs = render("--set", "medusa.workerMode=split", "-f", tolerations)
    jobs = tuple(data_job(action, "-f", tolerations) for action in ("backup", "schema-check"))
    pods = list(pod_specs(docs + jobs))
    assert len(pods) == 9  # backend, worker, storefront, redis, postgresql, 2+2 Jobs
    for workload, pod in pods:
        assert pod["tolerations"] == TOLERATIONS, workload["metadata"]["name"]
    assert all("tolerations" not in pod for _, pod in pod_specs(render()))


@pytest.mark.parametrize("plan", PLANS)
def test_backend_and_worker_share_one_pod_template(plan: str) -> None:
    deployments = by_component(render_plan(plan, "split"), "Deployment")
    pods = {name: deployments[name]["spec"]["template"] for name in ("backend", "worker")}
    backend, worker = (copy.deepcopy(pods[name]) for name in ("backend", "worker"))
    for name, template in (("backend", backend), ("worker", worker)):
        (container,) = template["spec"]["containers"]
        assert container.pop("name") == name
        (wait,) = template["spec"]["initContainers"]
        # The init container asks no more than the main one: the quota sees no change.
        for sized in (container, wait):
            assert sized.pop("resources") == VALUES["plans"][plan][name]["resources"]
        assert template["metadata"]["labels"].pop("app.kubernetes.io/component") == name
    (backend_container,) = backend["spec"]["containers"]
    (worker_container,) = worker["spec"]["containers"]
    assert (backend_container.pop("args"), worker_container.pop("args")) == (["server"], ["worker"])
    modes = [
        env_of(container).pop("MEDUSA_WORKER_MODE")
        for container in (backend_container, worker_container)
    ]
    assert modes == ["server", "worker"]
    for container in (backend_container, worker_container):
        container["env"] = [e for e in container["env"] if e["name"] != "MEDUSA_WORKER_MODE"]
    # Everything else - image, environment, probes, volumes, security - is the same.
    assert backend == worker


def test_medusa_pods_start_once_the_database_is_bootstrapped() -> None:
    docs = render_plan("small", "split")
    deployments = by_component(docs, "Deployment")
    for name in ("backend", "worker"):
        pod = deployments[name]["spec"]["template"]["spec"]
        (wait,) = pod["initContainers"]
        assert wait["image"] == pod["containers"][0]["image"]
        assert wait["args"] == ["wait-for-bootstrap"]
        assert {e["name"] for e in wait["env"]} == {"POSTGRES_PASSWORD", "DATABASE_URL"}
    (admin,) = (job for job in of_kind(docs, "Job") if component(job) == "admin")
    script = admin["spec"]["template"]["spec"]["initContainers"][0]["command"][-1]
    assert script.index("storefleet-medusa wait-for-bootstrap") < script.index(
        "storefleet-medusa admin-setup"
    )


def test_uploads_live_on_a_volume_of_their_own() -> None:
    docs = render_plan("small", "split")
    deployments = by_component(docs, "Deployment")
    for name in ("backend", "worker"):
        pod = deployments[name]["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        mounts = {mount["mountPath"]: mount["name"] for mount in container["volumeMounts"]}
        assert mounts["/app/static"] == "uploads"
        volumes = {volume["name"]: volume for volume in pod["volumes"]}
        assert volumes["uploads"] == {
            "name": "uploads",
            "persistentVolumeClaim": {"claimName": "demo-store-uploads"},
        }
    (claim,) = of_kind(docs, "PersistentVolumeClaim")
    assert claim["metadata"]["name"] == "demo-store-uploads"


# --- The uploads and backups volumes ------------------------------------------------


@pytest.mark.parametrize("plan", PLANS)
def test_volumes_are_sized_by_the_plan(plan: str) -> None:
    (uploads,) = of_kind(render_plan(plan), "PersistentVolumeClaim")
    assert component(uploads) == "uploads"
    # Like the database volume, it outlives the release.
    assert uploads["metadata"]["annotations"] == {"helm.sh/resource-policy": "keep"}
    assert uploads["spec"]["accessModes"] == ["ReadWriteOnce"]
    assert (
        uploads["spec"]["resources"]["requests"]["storage"]
        == (VALUES["plans"][plan]["uploads"]["storage"])
    )
    assert "storageClassName" not in uploads["spec"]

    (backups,) = render_plan(plan, "shared", "--show-only", BACKUPS, *backup_args("backup"))
    assert component(backups) == "backups"
    assert "annotations" not in backups["metadata"]
    assert backups["spec"]["accessModes"] == ["ReadWriteOnce"]
    assert (
        backups["spec"]["resources"]["requests"]["storage"]
        == (VALUES["plans"][plan]["backups"]["storage"])
    )


def test_volumes_take_the_database_class_unless_they_have_their_own() -> None:
    settings = ["--set", "postgresql.storageClass=local-path", "--set", "backups.storageClass=cold"]
    (uploads,) = of_kind(
        render(*settings, "--set", "uploads.accessMode=ReadWriteMany"), "PersistentVolumeClaim"
    )
    assert uploads["spec"]["storageClassName"] == "local-path"
    assert uploads["spec"]["accessModes"] == ["ReadWriteMany"]
    backups = render("--show-only", BACKUPS, *settings, *backup_args("restore"))[0]
    assert backups["spec"]["storageClassName"] == "cold"


def test_the_backups_volume_comes_with_the_backup_and_restore_jobs_only() -> None:
    # No release pod uses it: in a release it would never bind (WaitForFirstConsumer)
    # and helm --wait would wait for it forever.
    assert "demo-store-backups" not in {doc["metadata"]["name"] for doc in render()}
    assert helm_template("--show-only", BACKUPS, *backup_args("schema-check")).returncode != 0


# --- The data Job -------------------------------------------------------------------


def test_a_release_renders_no_data_job() -> None:
    for plan in PLANS:
        assert {component(job) for job in of_kind(render_plan(plan, "split"), "Job")} == {
            "bootstrap",
            "admin",
        }
    refused = helm_template("--show-only", DATA_JOB)
    assert refused.returncode != 0


def test_backup_job_writes_to_the_backups_volume_with_only_the_database_secret() -> None:
    job = data_job("backup")
    assert job["metadata"]["name"] == f"demo-store-backup-{RUN}"
    labels = job["metadata"]["labels"]
    assert labels["app.kubernetes.io/component"] == "backup"
    assert labels["app.kubernetes.io/instance"] == "demo"
    assert labels["storefleet.io/backup"] == BACKUP
    assert job["spec"]["backoffLimit"] == 0
    assert job["spec"]["ttlSecondsAfterFinished"] == 604800
    assert job["spec"]["activeDeadlineSeconds"] == VALUES["jobs"]["activeDeadlineSeconds"]
    pod = pod_of(job)
    assert pod["restartPolicy"] == "Never"
    assert pod["automountServiceAccountToken"] is False
    assert job["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/component"] == "backup"
    (container,) = pod["containers"]
    backend = VALUES["images"]["backend"]
    assert container["image"] == f"{backend['repository']}:{backend['tag']}"
    assert container["args"] == ["backup"]
    env = env_of(container)
    secrets = {name for name, value in env.items() if isinstance(value, dict)}
    assert secrets == {"POSTGRES_PASSWORD"}
    assert env["POSTGRES_PASSWORD"] == {
        "secretKeyRef": {"name": "store-credentials", "key": "postgres-password"}
    }
    assert set(env) == DATABASE_ENV | {
        "STOREFLEET_RESULT_FILE",
        "STOREFLEET_BACKUP_DIR",
        "STOREFLEET_BACKUP_NAME",
        "STOREFLEET_BACKUP_KEEP",
    }
    assert env["STOREFLEET_RESULT_FILE"] == "/dev/termination-log"
    assert env["STOREFLEET_BACKUP_NAME"] == BACKUP
    assert env["STOREFLEET_BACKUP_KEEP"] == str(VALUES["backups"]["keep"])
    mounts = {mount["mountPath"]: mount for mount in container["volumeMounts"]}
    assert mounts[env["STOREFLEET_BACKUP_DIR"]] == {
        "name": "backups",
        "mountPath": "/backups",
        "readOnly": False,
    }
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    assert volumes["backups"]["persistentVolumeClaim"] == {"claimName": "demo-store-backups"}
    assert container["resources"] == VALUES["plans"]["small"]["jobs"]["resources"]


def test_backup_before_a_restore_removes_no_backup() -> None:
    (container,) = pod_of(data_job("backup", "--set", "dataJob.prune=false"))["containers"]
    assert env_of(container)["STOREFLEET_BACKUP_KEEP"] == "0"


def test_restore_job_reads_the_backups_volume() -> None:
    (container,) = pod_of(data_job("restore"))["containers"]
    assert container["args"] == ["restore"]
    env = env_of(container)
    assert "STOREFLEET_BACKUP_KEEP" not in env
    assert env["STOREFLEET_BACKUP_NAME"] == BACKUP
    (backups,) = (mount for mount in container["volumeMounts"] if mount["name"] == "backups")
    assert backups["readOnly"] is True


def test_schema_check_job_runs_the_image_it_is_given_without_the_backups() -> None:
    job = data_job(
        "schema-check",
        "--set",
        "images.backend.tag=0.1.0-old",
        "--set-string",
        "dataJob.podAnnotations.sandbox\\.storefleet\\.io/exit-code=3",
        backup="",
    )
    assert job["metadata"]["name"] == f"demo-store-schema-check-{RUN}"
    assert "storefleet.io/backup" not in job["metadata"]["labels"]
    template = job["spec"]["template"]
    assert template["metadata"]["annotations"] == {"sandbox.storefleet.io/exit-code": "3"}
    (container,) = template["spec"]["containers"]
    assert container["image"].endswith(":0.1.0-old")
    assert container["args"] == ["schema-check"]
    assert set(env_of(container)) == DATABASE_ENV | {"STOREFLEET_RESULT_FILE"}
    assert [volume["name"] for volume in template["spec"]["volumes"]] == ["tmp"]


@pytest.mark.parametrize("action", ["backup", "restore", "schema-check"])
def test_data_jobs_keep_pod_security_restricted(action: str) -> None:
    pod = pod_of(data_job(action))
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == 1000
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    for container in containers(pod):
        security = container["securityContext"]
        assert security["readOnlyRootFilesystem"] is True
        assert security["allowPrivilegeEscalation"] is False
        assert security["capabilities"] == {"drop": ["ALL"]}


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["--set", "dataJob.action=backup", "--set", f"dataJob.backup={BACKUP}"], "dataJob.run"),
        (["--set", "dataJob.action=restore", "--set", f"dataJob.run={RUN}"], "dataJob.backup"),
        (
            [
                "--set",
                "dataJob.action=backup",
                "--set",
                "dataJob.run=now",
                "--set",
                "dataJob.backup=x",
            ],
            "run",
        ),
    ],
)
def test_an_incomplete_data_job_is_refused(args: list[str], complaint: str) -> None:
    result = helm_template("--show-only", DATA_JOB, *args)
    assert result.returncode != 0
    assert complaint in result.stderr


def test_long_store_names_keep_data_job_names_dns_labels() -> None:
    release = "s" * 53
    for action in ("backup", "schema-check"):
        args = ["--set", f"dataJob.action={action}", "--set", f"dataJob.run={RUN}"]
        args += ["--set", f"dataJob.backup={BACKUP}"]
        (job,) = render("--show-only", DATA_JOB, *args, release=release)
        name = job["metadata"]["name"]
        assert len(name) <= 63 and name.endswith(f"-{action}-{RUN}"), name
