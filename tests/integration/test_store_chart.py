"""charts/store against real helm, the offline Kubernetes schemas and the sandbox API server.

For every ci/*-values.yaml scenario: `helm lint --strict`; the rendered manifests validated
by kubernetes-validate and by a server-side dry run into a PodSecurity-restricted
namespace; then the same objects created for real, their pods admitted and Ready or
Succeeded on the kwok nodes and the PostgreSQL volume bound. Finally a `helm install`
and a `helm upgrade` show the per-revision Jobs and the admin Job's narrow RBAC.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml

from storefleet_sandbox import SandboxClient, tool
from tests.helm import STORE_CHART as CHART
from tests.helm import helm, helm_template, run_helm
from tests.waiting import wait_for

pytestmark = pytest.mark.sandbox

CI_VALUES = sorted((CHART / "ci").glob("*-values.yaml"))
# The sandbox runs Kubernetes v1.36; kubernetes-validate ships its schemas.
KUBERNETES_VERSION = "1.36.0"
RESTRICTED = {
    f"pod-security.kubernetes.io/{mode}": "restricted" for mode in ("enforce", "audit", "warn")
}
CREDENTIALS = {
    "postgres-password": "pg0123456789abcdef",
    "jwt-secret": "jwt0123456789abcdef",
    "cookie-secret": "cookie0123456789abcdef",
    "admin-email": "admin@example.com",
    "admin-password": "admin0123456789abcdef",
}

Manifest = dict[str, Any]


def run(*argv: str, input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, input=input_text, capture_output=True, text=True, check=False, timeout=300
    )


def render(values: Path, namespace: str, *args: str) -> str:
    result = helm_template("-f", str(values), *args, namespace=namespace)
    assert result.returncode == 0, result.stderr
    return result.stdout


def get_json(sandbox: SandboxClient, *args: str) -> Any:
    return json.loads(sandbox.kubectl(*args, "-o", "json"))


@pytest.fixture
def restricted_namespace(sandbox: SandboxClient) -> Iterator[str]:
    """A throwaway namespace labelled PodSecurity restricted, with the store's credentials."""
    namespace = f"chart-{uuid.uuid4().hex[:6]}"
    manifest = {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": namespace, "labels": RESTRICTED},
    }
    sandbox.kubectl("create", "-f", "-", input_text=json.dumps(manifest))
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "store-credentials", "namespace": namespace},
        "stringData": CREDENTIALS,
    }
    sandbox.kubectl("create", "-f", "-", input_text=json.dumps(secret))
    yield namespace
    sandbox.kubectl("delete", "namespace", namespace, "--wait=true", "--timeout=120s")


@pytest.mark.parametrize("values", CI_VALUES, ids=lambda path: path.stem)
def test_helm_lint_strict_passes(values: Path) -> None:
    result = run_helm("lint", "--strict", str(CHART), "-f", str(values))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 chart(s) failed" in result.stdout


def test_helm_lint_strict_passes_with_the_defaults() -> None:
    result = run_helm("lint", "--strict", str(CHART))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("values", CI_VALUES, ids=lambda path: path.stem)
def test_rendered_manifests_match_the_kubernetes_schemas(values: Path) -> None:
    docs = [doc for doc in yaml.safe_load_all(render(values, "store-demo")) if doc]
    kinds = {d["kind"] for d in docs}
    assert {"Deployment", "StatefulSet", "Job", "Service"} <= kinds
    # The edge: an HTTPRoute on the platform Gateway, or an Ingress.
    assert len(kinds & {"HTTPRoute", "Ingress"}) == 1
    for doc in docs:
        # Gateway API kinds are CRDs, outside kubernetes-validate's schemas: the API
        # server's dry run below checks them.
        if doc["apiVersion"].startswith("gateway.networking.k8s.io/"):
            continue
        # strict: unknown fields are errors too.
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("values", CI_VALUES, ids=lambda path: path.stem)
def test_manifests_are_admitted_and_their_pods_run_in_a_restricted_namespace(
    sandbox: SandboxClient, restricted_namespace: str, values: Path
) -> None:
    namespace = restricted_namespace
    # On the simulated nodes whatever placement the values ask for: the pods only have
    # to be admitted and scheduled here, not to run the images.
    manifests = render(
        values, namespace, "--set-json", 'nodeSelector={"type":"kwok"}',
        "--set-json", "tolerations=[]",
    )  # fmt: skip
    kubectl = [tool("kubectl"), f"--kubeconfig={sandbox.kubeconfig}", "-n", namespace]

    # The API server validates every object; PodSecurity warns on pod templates.
    dry_run = run(*kubectl, "apply", "--dry-run=server", "-f", "-", input_text=manifests)
    assert dry_run.returncode == 0, dry_run.stderr
    assert "PodSecurity" not in dry_run.stderr, dry_run.stderr
    assert not get_json(sandbox, "-n", namespace, "get", "all")["items"]

    # PodSecurity enforces on pods, not templates: create the objects and let the
    # controllers create the pods.
    sandbox.kubectl("-n", namespace, "create", "-f", "-", input_text=manifests)
    docs = [doc for doc in yaml.safe_load_all(manifests) if doc]
    expected = {
        doc["metadata"]["name"]: doc["spec"]["replicas"]
        for doc in docs
        if doc["kind"] in ("Deployment", "StatefulSet")
    }
    jobs = [doc["metadata"]["name"] for doc in docs if doc["kind"] == "Job"]

    def workloads_ready() -> bool:
        ready = {
            item["metadata"]["name"]: item["status"].get("readyReplicas", 0)
            for kind in ("deployments", "statefulsets")
            for item in get_json(sandbox, "-n", namespace, "get", kind)["items"]
        }
        return ready == expected

    def jobs_complete() -> bool:
        items = get_json(sandbox, "-n", namespace, "get", "jobs")["items"]
        return sorted(i["metadata"]["name"] for i in items if i["status"].get("succeeded")) == (
            sorted(jobs)
        )

    wait_for(workloads_ready, 90, f"Deployments and StatefulSet ready in {namespace}")
    wait_for(jobs_complete, 90, f"Jobs {jobs} complete in {namespace}")
    # The database and uploads volumes; the backups volume comes with the first backup.
    claims = get_json(sandbox, "-n", namespace, "get", "pvc")["items"]
    assert sorted(claim["metadata"]["name"] for claim in claims) == [
        "data-demo-store-postgresql-0",
        "demo-store-uploads",
    ]
    assert [claim["status"]["phase"] for claim in claims] == ["Bound", "Bound"]

    events = get_json(sandbox, "-n", namespace, "get", "events")["items"]
    refused = [
        f"{e['involvedObject']['name']}: {e['message']}"
        for e in events
        if e["reason"] == "FailedCreate" or "forbidden" in e.get("message", "")
    ]
    assert not refused


def test_install_and_upgrade_run_each_revisions_jobs_once(
    sandbox: SandboxClient, restricted_namespace: str
) -> None:
    namespace = restricted_namespace
    common = ["--namespace", namespace, "--wait", "--wait-for-jobs", "--timeout=120s"]
    values = ["-f", str(CHART / "ci" / "worker-split-values.yaml")]
    notes = helm(sandbox, "install", "demo", str(CHART), *values, *common)
    assert "Admin:       http://demo.storefleet.example/app" in notes

    def job_names() -> list[str]:
        items = get_json(sandbox, "-n", namespace, "get", "jobs")["items"]
        return sorted(item["metadata"]["name"] for item in items)

    def pods_by_phase() -> dict[str, list[str]]:
        """Pod names by phase; a Running pod counts only once it is Ready."""
        phases: dict[str, list[str]] = {}
        for pod in get_json(sandbox, "-n", namespace, "get", "pods")["items"]:
            phase = pod["status"]["phase"]
            ready = {c["type"]: c["status"] for c in pod["status"].get("conditions", [])}
            if phase == "Running" and ready.get("Ready") != "True":
                phase = "Running but not Ready"
            phases.setdefault(phase, []).append(pod["metadata"]["name"])
        return phases

    assert job_names() == ["demo-store-admin-r1", "demo-store-bootstrap-r1"]
    assert set(pods_by_phase()) == {"Running", "Succeeded"}
    assert len(pods_by_phase()["Succeeded"]) == 2

    helm(
        sandbox,
        "upgrade",
        "demo",
        str(CHART),
        *values,
        "--set",
        "images.backend.tag=0.1.1",
        *common,
    )
    history = json.loads(helm(sandbox, "history", "demo", "-n", namespace, "-o", "json"))
    assert [(entry["revision"], entry["status"]) for entry in history] == [
        (1, "superseded"),
        (2, "deployed"),
    ]
    assert job_names() == ["demo-store-admin-r2", "demo-store-bootstrap-r2"]
    for job in job_names():
        assert get_json(sandbox, "-n", namespace, "get", "job", job)["status"]["succeeded"] == 1
    backend = get_json(sandbox, "-n", namespace, "get", "deployment", "demo-store-backend")
    assert backend["spec"]["template"]["spec"]["containers"][0]["image"].endswith(":0.1.1")

    # The old revision's Job pods go with their Jobs.
    def old_job_pods() -> list[str]:
        pods = get_json(sandbox, "-n", namespace, "get", "pods")["items"]
        return [pod["metadata"]["name"] for pod in pods if "-r1-" in pod["metadata"]["name"]]

    wait_for(lambda: not old_job_pods(), 60, "revision 1 Job pods to be deleted")


def test_admin_job_account_may_write_only_the_publishable_key(
    sandbox: SandboxClient, restricted_namespace: str
) -> None:
    namespace = restricted_namespace
    sandbox.kubectl("-n", namespace, "apply", "-f", "-", input_text=render(CI_VALUES[0], namespace))
    account = f"system:serviceaccount:{namespace}:demo-store-admin"

    def can(*args: str) -> bool:
        answer = sandbox.kubectl(
            "-n", namespace, "auth", "can-i", f"--as={account}", *args, check=False
        )
        return answer.strip() == "yes"

    assert can("patch", "secret/store-publishable-key")
    assert can("create", "secrets")
    assert not can("get", "secret/store-credentials")
    assert not can("list", "secrets")
    assert not can("delete", "secret/store-publishable-key")

    # The Job's own command, run under its identity: create, then update in place.
    for key in ("pk_first", "pk_second"):
        secret = {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "store-publishable-key"},
            "stringData": {"publishable-key": key},
        }
        sandbox.kubectl(
            "-n",
            namespace,
            f"--as={account}",
            "apply",
            "--server-side",
            "--force-conflicts",
            "--field-manager=storefleet-admin",
            "-f",
            "-",
            input_text=json.dumps(secret),
        )
    stored = get_json(sandbox, "-n", namespace, "get", "secret", "store-publishable-key")
    assert stored["data"]["publishable-key"] == "cGtfc2Vjb25k"  # base64 of pk_second
    refused = run(
        tool("kubectl"),
        f"--kubeconfig={sandbox.kubeconfig}",
        "-n",
        namespace,
        f"--as={account}",
        "patch",
        "secret",
        "store-credentials",
        "-p",
        '{"data": {}}',
    )
    assert refused.returncode != 0
    assert "forbidden" in refused.stderr
