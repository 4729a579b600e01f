"""The sandbox is a real control plane: scheduling, storage, admission, RBAC, namespaces."""

from __future__ import annotations

import json
import subprocess
import uuid

import pytest

from storefleet_sandbox import SandboxClient
from tests.waiting import wait_for

pytestmark = pytest.mark.sandbox


@pytest.fixture
def namespace(sandbox: SandboxClient) -> str:
    name = f"t-{uuid.uuid4().hex[:8]}"
    sandbox.kubectl("create", "namespace", name)
    return name


def _get(sandbox: SandboxClient, *args: str) -> dict:
    return json.loads(sandbox.kubectl("get", *args, "-o", "json"))


def _apply(sandbox: SandboxClient, manifest: dict) -> str:
    return sandbox.kubectl("apply", "-f", "-", input_text=json.dumps(manifest))


def _create_rejected(sandbox: SandboxClient, manifest: dict) -> str:
    """Create `manifest` expecting the API server to refuse it; return its message."""
    with pytest.raises(subprocess.CalledProcessError) as refused:
        sandbox.kubectl("create", "-f", "-", input_text=json.dumps(manifest))
    return str(refused.value.stderr)


def _pod(name: str, namespace: str, **container: object) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"containers": [{"name": "main", "image": "registry.invalid/app:1", **container}]},
    }


def test_nodes_are_simulated_with_realistic_capacity(sandbox: SandboxClient) -> None:
    # The real node, when the sandbox has one, is test_sandbox_real_node's.
    nodes = _get(sandbox, "nodes", "-l", "type=kwok")["items"]
    assert len(nodes) >= 2
    for node in nodes:
        assert node["metadata"]["annotations"]["kwok.x-k8s.io/node"] == "fake"
        assert node["status"]["allocatable"]["cpu"] == "8"
        assert node["status"]["allocatable"]["memory"] == "32Gi"


def test_deployment_pods_are_scheduled_and_become_ready(
    sandbox: SandboxClient, namespace: str
) -> None:
    sandbox.kubectl(
        "-n", namespace, "create", "deployment", "web", "--image=registry.invalid/web:1",
        "--replicas=3",
    )  # fmt: skip
    sandbox.kubectl("-n", namespace, "rollout", "status", "deployment/web", "--timeout=60s")
    pods = _get(sandbox, "-n", namespace, "pods")["items"]
    assert len(pods) == 3
    node_names = {n["metadata"]["name"] for n in _get(sandbox, "nodes")["items"]}
    for pod in pods:
        assert pod["spec"]["nodeName"] in node_names
        ready = {c["type"]: c["status"] for c in pod["status"]["conditions"]}
        assert ready["Ready"] == "True"
        assert pod["status"]["podIP"]


def test_statefulset_volume_claim_binds_through_the_default_storage_class(
    sandbox: SandboxClient, namespace: str
) -> None:
    _apply(
        sandbox,
        {
            "apiVersion": "apps/v1",
            "kind": "StatefulSet",
            "metadata": {"name": "db", "namespace": namespace},
            "spec": {
                "serviceName": "db",
                "replicas": 1,
                "selector": {"matchLabels": {"app": "db"}},
                "template": {
                    "metadata": {"labels": {"app": "db"}},
                    "spec": {
                        "containers": [
                            {
                                "name": "db",
                                "image": "registry.invalid/db:1",
                                "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                            }
                        ]
                    },
                },
                "volumeClaimTemplates": [
                    {
                        "metadata": {"name": "data"},
                        "spec": {
                            "accessModes": ["ReadWriteOnce"],
                            "resources": {"requests": {"storage": "1Gi"}},
                        },
                    }
                ],
            },
        },
    )
    sandbox.kubectl("-n", namespace, "rollout", "status", "statefulset/db", "--timeout=90s")
    claim = _get(sandbox, "-n", namespace, "pvc", "data-db-0")
    assert claim["status"]["phase"] == "Bound"
    assert claim["spec"]["storageClassName"] == "local-path"
    volume = _get(sandbox, "pv", claim["spec"]["volumeName"])
    assert volume["spec"]["storageClassName"] == "local-path"
    assert "rancher.io/local-path" in json.dumps(volume["metadata"]["annotations"])


def test_pod_security_restricted_rejects_a_privileged_pod(
    sandbox: SandboxClient, namespace: str
) -> None:
    sandbox.kubectl(
        "label", "namespace", namespace, "pod-security.kubernetes.io/enforce=restricted"
    )
    message = _create_rejected(
        sandbox, _pod("root", namespace, securityContext={"privileged": True})
    )
    assert "violates PodSecurity" in message
    assert "privileged" in message


def test_resource_quota_rejects_a_pod_over_its_limits(
    sandbox: SandboxClient, namespace: str
) -> None:
    _apply(
        sandbox,
        {
            "apiVersion": "v1",
            "kind": "ResourceQuota",
            "metadata": {"name": "small", "namespace": namespace},
            "spec": {"hard": {"limits.cpu": "1", "limits.memory": "1Gi"}},
        },
    )
    wait_for(
        lambda: _get(sandbox, "-n", namespace, "resourcequota", "small")["status"].get("hard"),
        timeout=30,
        what="the quota controller to fill in the quota status",
    )
    too_big = {"limits": {"cpu": "2", "memory": "512Mi"}}
    message = _create_rejected(sandbox, _pod("big", namespace, resources=too_big))
    assert "exceeded quota: small" in message
    fits = {"limits": {"cpu": "500m", "memory": "512Mi"}}
    sandbox.kubectl(
        "create", "-f", "-", input_text=json.dumps(_pod("ok", namespace, resources=fits))
    )


def test_deleting_a_namespace_with_objects_completes(
    sandbox: SandboxClient, namespace: str
) -> None:
    sandbox.kubectl("-n", namespace, "create", "configmap", "settings", "--from-literal=a=b")
    sandbox.kubectl("-n", namespace, "create", "deployment", "web", "--image=registry.invalid/w:1")
    sandbox.kubectl("-n", namespace, "rollout", "status", "deployment/web", "--timeout=60s")
    sandbox.kubectl("delete", "namespace", namespace, "--wait=true", "--timeout=90s")
    assert not sandbox.kubectl("get", "namespace", namespace, "--ignore-not-found", "-o", "name")


def test_subject_access_review_denies_a_service_account_without_rights(
    sandbox: SandboxClient, namespace: str
) -> None:
    sandbox.kubectl("-n", namespace, "create", "serviceaccount", "nobody")
    review = {
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SubjectAccessReview",
        "spec": {
            "user": f"system:serviceaccount:{namespace}:nobody",
            "groups": ["system:serviceaccounts", f"system:serviceaccounts:{namespace}"],
            "resourceAttributes": {"namespace": namespace, "verb": "list", "resource": "secrets"},
        },
    }
    answer = json.loads(
        sandbox.kubectl("create", "-f", "-", "-o", "json", input_text=json.dumps(review))
    )
    assert answer["status"].get("allowed") is False

    # The same review allows it once a Role grants it: the denial came from RBAC.
    sandbox.kubectl(
        "-n", namespace, "create", "role", "read-secrets", "--verb=list", "--resource=secrets"
    )
    sandbox.kubectl(
        "-n", namespace, "create", "rolebinding", "read-secrets", "--role=read-secrets",
        f"--serviceaccount={namespace}:nobody",
    )  # fmt: skip
    allowed = wait_for(
        lambda: json.loads(
            sandbox.kubectl("create", "-f", "-", "-o", "json", input_text=json.dumps(review))
        )["status"].get("allowed"),
        timeout=10,
        what="the RoleBinding to take effect",
    )
    assert allowed is True


def test_gateway_api_types_are_served_with_or_without_a_real_node(sandbox: SandboxClient) -> None:
    # The platform's Gateway and the stores' HTTPRoutes are stored on every sandbox.
    served = sandbox.kubectl("api-resources", "--api-group=gateway.networking.k8s.io", "-o", "name")
    assert {"gateways.gateway.networking.k8s.io", "httproutes.gateway.networking.k8s.io"} <= set(
        served.split()
    )
