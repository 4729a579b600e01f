"""Least privilege, asked of the API server: SubjectAccessReviews and real admission."""

from __future__ import annotations

import json
import subprocess
import uuid

import pytest

from storefleet_sandbox import SandboxClient
from tests.integration.test_platform_playbook import PROVISIONER, ensure_platform

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

VIEWER = "jane"
MANAGED = {"app.kubernetes.io/managed-by": "storefleet"}
ENFORCE = "pod-security.kubernetes.io/enforce"
RESTRICTED = {ENFORCE: "restricted"}
VIEWER_GROUP = "storefleet:viewers"


@pytest.fixture(scope="module")
def store_namespace(sandbox: SandboxClient) -> str:
    """A store namespace set up the way the store role does it, by the provisioner itself."""
    ensure_platform(sandbox)
    name = f"store-rbac-{uuid.uuid4().hex[:6]}"
    namespace = {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": name, "labels": {**MANAGED, **RESTRICTED}},
    }
    sandbox.kubectl("create", "-f", "-", f"--as={PROVISIONER}", input_text=json.dumps(namespace))
    for binding, role, subject in (
        (
            "storefleet-provisioner",
            "storefleet-store-provisioner",
            {"kind": "ServiceAccount", "name": "storefleet-provisioner",
             "namespace": "storefleet-system"},
        ),
        (
            "storefleet-viewer",
            "storefleet-store-viewer",
            {"kind": "Group", "name": VIEWER_GROUP, "apiGroup": "rbac.authorization.k8s.io"},
        ),
    ):  # fmt: skip
        sandbox.kubectl(
            "create", "-f", "-", f"--as={PROVISIONER}",
            input_text=json.dumps(role_binding(name, binding, "ClusterRole", role, subject)),
        )  # fmt: skip
    yield name
    sandbox.kubectl("delete", "namespace", name, "--wait=false", f"--as={PROVISIONER}")


def role_binding(namespace: str, name: str, kind: str, role: str, subject: dict) -> dict:
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": {"name": name, "namespace": namespace},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": kind, "name": role},
        "subjects": [subject],
    }


def allowed(sandbox: SandboxClient, user: str, verb: str, resource: str, namespace: str = "",
            group: str = "", groups: tuple[str, ...] = ()) -> bool:  # fmt: skip
    """Ask the API server's authorizer through a SubjectAccessReview."""
    group_name, _, subresource = resource.partition("/")
    review = {
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SubjectAccessReview",
        "spec": {
            "user": user,
            "groups": list(groups),
            "resourceAttributes": {
                "verb": verb,
                "resource": group_name,
                "subresource": subresource,
                "group": group,
                "namespace": namespace,
            },
        },
    }
    answer = sandbox.kubectl("create", "-o", "json", "-f", "-", input_text=json.dumps(review))
    return bool(json.loads(answer)["status"].get("allowed"))


STORE = "<store>"
# (verb, resource, API group, namespace, expected) for the provisioner
PROVISIONER_MATRIX = [
    ("create", "namespaces", "", "", True),
    ("delete", "namespaces", "", "", True),
    ("create", "deployments", "apps", STORE, True),
    ("create", "secrets", "", STORE, True),
    ("get", "secrets", "", STORE, True),
    ("create", "jobs", "batch", STORE, True),
    ("create", "ingresses", "networking.k8s.io", STORE, True),
    ("create", "networkpolicies", "networking.k8s.io", STORE, True),
    ("create", "resourcequotas", "", STORE, True),
    ("patch", "stores", "storefleet.io", "storefleet-system", True),
    ("update", "stores/status", "storefleet.io", "storefleet-system", True),
    ("get", "secrets", "", "kube-system", False),
    ("list", "secrets", "", "kube-system", False),
    ("get", "secrets", "", "storefleet-system", False),
    ("list", "secrets", "", "storefleet-system", False),
    ("list", "secrets", "", "", False),
    ("create", "deployments", "apps", "default", False),
    ("create", "deployments", "apps", "kube-system", False),
    ("delete", "pods", "", "kube-system", False),
    ("create", "clusterrolebindings", "rbac.authorization.k8s.io", "", False),
    ("escalate", "clusterroles", "rbac.authorization.k8s.io", "", False),
    ("delete", "customresourcedefinitions", "apiextensions.k8s.io", "", False),
    ("delete", "validatingadmissionpolicies", "admissionregistration.k8s.io", "", False),
    ("delete", "resourcequotas", "", "storefleet-system", False),
]

# (verb, resource, API group, namespace, expected) for a member of the viewer group
VIEWER_MATRIX = [
    ("list", "stores", "storefleet.io", "storefleet-system", True),
    ("watch", "stores", "storefleet.io", "storefleet-system", True),
    ("list", "pods", "", STORE, True),
    ("get", "deployments", "apps", STORE, True),
    ("get", "resourcequotas", "", STORE, True),
    ("create", "stores", "storefleet.io", "storefleet-system", False),
    ("update", "stores/status", "storefleet.io", "storefleet-system", False),
    ("get", "secrets", "", STORE, False),
    ("list", "secrets", "", STORE, False),
    ("delete", "pods", "", STORE, False),
    ("list", "pods", "", "kube-system", False),
    ("delete", "namespaces", "", "", False),
]


def matrix_id(row: tuple) -> str:
    verb, resource, _, namespace, expected = row
    return f"{'may' if expected else 'not'}-{verb}-{resource}-in-{namespace or 'cluster'}"


@pytest.mark.parametrize("row", PROVISIONER_MATRIX, ids=[matrix_id(r) for r in PROVISIONER_MATRIX])
def test_provisioner_access(sandbox: SandboxClient, store_namespace: str, row: tuple) -> None:
    verb, resource, group, namespace, expected = row
    namespace = store_namespace if namespace == STORE else namespace
    assert allowed(sandbox, PROVISIONER, verb, resource, namespace, group) is expected


@pytest.mark.parametrize("row", VIEWER_MATRIX, ids=[matrix_id(r) for r in VIEWER_MATRIX])
def test_viewer_access(sandbox: SandboxClient, store_namespace: str, row: tuple) -> None:
    verb, resource, group, namespace, expected = row
    namespace = store_namespace if namespace == STORE else namespace
    assert allowed(sandbox, VIEWER, verb, resource, namespace, group, (VIEWER_GROUP,)) is expected


def refused(sandbox: SandboxClient, *args: str, input_text: str | None = None) -> str:
    """Run a write as the provisioner (server-side dry run: nothing changes even if it
    were allowed) and return the API server's refusal."""
    result = subprocess.run(
        ["kubectl", f"--kubeconfig={sandbox.kubeconfig}", f"--as={PROVISIONER}",
         "--dry-run=server", *args],
        input=input_text, capture_output=True, text=True, check=False, env=sandbox.env(),
        timeout=60,
    )  # fmt: skip
    assert result.returncode != 0, f"kubectl {' '.join(args)} was allowed"
    return result.stderr


def test_provisioner_cannot_create_namespace_other(
    sandbox: SandboxClient, store_namespace: str
) -> None:
    error = refused(sandbox, "create", "namespace", "other")
    assert "storefleet-provisioner-scope" in error
    assert "namespaces named store-<name>" in error


def test_provisioner_cannot_create_an_unlabelled_store_namespace(
    sandbox: SandboxClient, store_namespace: str
) -> None:
    error = refused(sandbox, "create", "namespace", "store-unlabelled")
    assert "managed-by=storefleet" in error


def test_provisioner_cannot_delete_kube_system_or_another_teams_namespace(
    sandbox: SandboxClient, store_namespace: str
) -> None:
    assert "forbidden" in refused(sandbox, "delete", "namespace", "kube-system").lower()
    other = f"team-{uuid.uuid4().hex[:6]}"
    sandbox.kubectl("create", "namespace", other)
    try:
        assert "namespaces named store-<name>" in refused(sandbox, "delete", "namespace", other)
        # A look-alike store namespace that storefleet does not manage is not its either.
        sandbox.kubectl("create", "namespace", f"store-{other}")
        error = refused(sandbox, "delete", "namespace", f"store-{other}")
        assert "managed-by=storefleet" in error
    finally:
        sandbox.kubectl("delete", "namespace", other, f"store-{other}", "--wait=false")


def test_provisioner_cannot_label_its_way_into_a_namespace(
    sandbox: SandboxClient, store_namespace: str
) -> None:
    error = refused(
        sandbox, "label", "namespace", "default", "app.kubernetes.io/managed-by=storefleet"
    )
    assert "storefleet-provisioner-scope" in error


def test_provisioner_cannot_bind_its_store_role_outside_store_namespaces(
    sandbox: SandboxClient, store_namespace: str
) -> None:
    subject = {
        "kind": "ServiceAccount",
        "name": "storefleet-provisioner",
        "namespace": "storefleet-system",
    }
    binding = role_binding(
        "kube-system", "grab", "ClusterRole", "storefleet-store-provisioner", subject
    )
    error = refused(sandbox, "create", "-f", "-", input_text=json.dumps(binding))
    assert "RoleBindings in store namespaces" in error


def test_provisioner_cannot_bind_cluster_admin_in_a_store_namespace(
    sandbox: SandboxClient, store_namespace: str
) -> None:
    subject = {
        "kind": "ServiceAccount",
        "name": "storefleet-provisioner",
        "namespace": "storefleet-system",
    }
    binding = role_binding(store_namespace, "grab", "ClusterRole", "cluster-admin", subject)
    error = refused(sandbox, "create", "-f", "-", input_text=json.dumps(binding))
    assert "forbidden" in error.lower()


# --- Pod Security cannot be relaxed by the provisioner --------------------------------


def namespace_document(name: str, labels: dict[str, str]) -> str:
    return json.dumps(
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}}
    )


@pytest.mark.parametrize(
    "change",
    [
        f"{ENFORCE}=privileged",
        f"{ENFORCE}=baseline",
        f"{ENFORCE}-",
        f"{ENFORCE}-version=v1.20",
    ],
)
def test_provisioner_cannot_relax_pod_security_of_a_store_namespace(
    sandbox: SandboxClient, store_namespace: str, change: str
) -> None:
    error = refused(sandbox, "label", "--overwrite", "namespace", store_namespace, change)
    assert "storefleet-provisioner-scope" in error
    assert f"{ENFORCE}=restricted" in error


@pytest.mark.parametrize(
    "labels",
    [MANAGED, {**MANAGED, ENFORCE: "privileged"}, {**MANAGED, **RESTRICTED,
     f"{ENFORCE}-version": "v1.25"}],
    ids=["without-enforce", "privileged", "pinned-old-version"],
)  # fmt: skip
def test_provisioner_cannot_create_a_namespace_without_restricted(
    sandbox: SandboxClient, store_namespace: str, labels: dict[str, str]
) -> None:
    document = namespace_document(f"store-loose-{uuid.uuid4().hex[:6]}", labels)
    error = refused(sandbox, "create", "-f", "-", input_text=document)
    assert f"{ENFORCE}=restricted" in error


def test_provisioner_may_keep_a_store_namespace_restricted(
    sandbox: SandboxClient, store_namespace: str
) -> None:
    # The store role's own labels (enforce, audit and warn restricted, version latest) pass.
    sandbox.kubectl(
        "label", "--overwrite", "namespace", store_namespace, f"{ENFORCE}-version=latest",
        "pod-security.kubernetes.io/warn=restricted", f"--as={PROVISIONER}", "--dry-run=server",
    )  # fmt: skip
