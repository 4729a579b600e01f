"""The sandbox's real node runs containers: kubelet + containerd + runc + CNI bridge,
Services through kube-proxy, cluster DNS, NetworkPolicy enforced by kube-router, logs
and exec through the API server, the API server reached through its Service."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from storefleet_sandbox import SandboxClient
from storefleet_sandbox.addons import real_node_placement
from storefleet_sandbox.node import TAINT_KEY
from tests.waiting import wait_for

pytestmark = [pytest.mark.sandbox, pytest.mark.real_node]


@pytest.fixture
def namespace(sandbox: SandboxClient) -> Iterator[str]:
    name = f"real-{uuid.uuid4().hex[:6]}"
    sandbox.kubectl("create", "namespace", name)
    yield name
    sandbox.kubectl("delete", "namespace", name, "--wait=false")


def busybox(sandbox: SandboxClient) -> str:
    return sandbox.addon_image("busybox")


def pod(
    sandbox: SandboxClient, name: str, namespace: str, command: str, labels: dict | None = None
) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": labels or {"app": name}},
        "spec": {
            **real_node_placement(),
            "terminationGracePeriodSeconds": 1,
            "restartPolicy": "Never",
            "containers": [
                {"name": "main", "image": busybox(sandbox), "command": ["sh", "-c", command]}
            ],
        },
    }


def apply(sandbox: SandboxClient, *objects: dict[str, Any]) -> None:
    sandbox.kubectl(
        "apply",
        "-f",
        "-",
        input_text=json.dumps({"apiVersion": "v1", "kind": "List", "items": list(objects)}),
    )


def phase(sandbox: SandboxClient, namespace: str, name: str) -> str:
    return sandbox.kubectl("-n", namespace, "get", "pod", name, "-o", "jsonpath={.status.phase}")


def ran(sandbox: SandboxClient, namespace: str, name: str, timeout: float = 90) -> str:
    """Wait for a run-to-completion pod to finish; return its log (fail on a failed pod)."""
    final = wait_for(
        lambda: (
            phase(sandbox, namespace, name) in ("Succeeded", "Failed")
            and phase(sandbox, namespace, name)
        ),
        timeout,
        f"pod {name} to finish",
    )
    log = sandbox.kubectl("-n", namespace, "logs", name)
    assert final == "Succeeded", f"pod {name} {final}: {log}"
    return log


def serve_http(sandbox: SandboxClient, namespace: str, name: str) -> str:
    """A pod answering HTTP on port 8080 behind a Service; returns the Service's name."""
    apply(
        sandbox,
        {
            **pod(
                sandbox,
                name,
                namespace,
                f"mkdir -p /tmp/www && echo hello-{name} > /tmp/www/index.html"
                " && httpd -f -p 8080 -h /tmp/www",
            ),
        },
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"selector": {"app": name}, "ports": [{"port": 80, "targetPort": 8080}]},
        },
    )
    sandbox.kubectl(
        "-n", namespace, "wait", "--for=condition=Ready", f"pod/{name}", "--timeout=90s"
    )
    return name


def test_real_node_is_ready_tainted_and_beside_the_simulated_ones(sandbox: SandboxClient) -> None:
    nodes = json.loads(sandbox.kubectl("get", "nodes", "-o", "json"))["items"]
    real = [n for n in nodes if n["metadata"]["labels"].get("type") == "real"]
    simulated = [n for n in nodes if n["metadata"]["labels"].get("type") == "kwok"]
    assert len(real) >= 1 and len(simulated) >= 2
    for node in real:
        taints = node["spec"].get("taints", [])
        assert {"key": TAINT_KEY, "value": "true", "effect": "NoSchedule"} in taints
        ready = [c for c in node["status"]["conditions"] if c["type"] == "Ready"]
        assert ready[0]["status"] == "True"
        assert "kwok.x-k8s.io/node" not in node["metadata"].get("annotations", {})
        assert node["status"]["nodeInfo"]["containerRuntimeVersion"].startswith("containerd://")


def test_a_pod_runs_for_real_with_logs_and_exec(sandbox: SandboxClient, namespace: str) -> None:
    apply(sandbox, pod(sandbox, "echo", namespace, "echo ran-on-$(cat /proc/sys/kernel/hostname)"))
    assert ran(sandbox, namespace, "echo").startswith("ran-on-echo")
    apply(sandbox, pod(sandbox, "sleeper", namespace, "sleep 3600"))
    sandbox.kubectl(
        "-n", namespace, "wait", "--for=condition=Ready", "pod/sleeper", "--timeout=90s"
    )
    assert (
        sandbox.kubectl("-n", namespace, "exec", "sleeper", "--", "echo", "inside").strip()
        == "inside"
    )


def test_cluster_dns_and_services_work(sandbox: SandboxClient, namespace: str) -> None:
    serve_http(sandbox, namespace, "web")
    apply(
        sandbox,
        pod(
            sandbox,
            "client",
            namespace,
            f"nslookup kubernetes.default.svc.cluster.local && wget -q -O - http://web.{namespace}.svc.cluster.local/",
        ),
    )
    log = ran(sandbox, namespace, "client")
    assert "10.96.0.1" in log
    assert "hello-web" in log


def test_pods_reach_the_api_server_through_its_service(
    sandbox: SandboxClient, namespace: str
) -> None:
    apply(
        sandbox,
        pod(
            sandbox,
            "api",
            namespace,
            "nc -z -w 5 kubernetes.default.svc.cluster.local 443 && echo reached",
        ),
    )
    assert "reached" in ran(sandbox, namespace, "api")


def test_network_policy_is_enforced(sandbox: SandboxClient, namespace: str) -> None:
    serve_http(sandbox, namespace, "guarded")
    probe = "wget -q -T 3 -O - http://guarded/ && echo OPEN || echo BLOCKED"
    apply(sandbox, pod(sandbox, "before", namespace, probe))
    assert "OPEN" in ran(sandbox, namespace, "before")

    apply(
        sandbox,
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": "deny-all", "namespace": namespace},
            "spec": {"podSelector": {}, "policyTypes": ["Ingress"]},
        },
    )

    # kube-router applies policies within a few seconds of the change.
    def blocked() -> bool:
        name = f"denied-{uuid.uuid4().hex[:4]}"
        apply(sandbox, pod(sandbox, name, namespace, probe))
        return "BLOCKED" in ran(sandbox, namespace, name)

    wait_for(blocked, 60, "the default-deny policy to block the client", interval=1)

    apply(
        sandbox,
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": "allow-friends", "namespace": namespace},
            "spec": {
                "podSelector": {"matchLabels": {"app": "guarded"}},
                "policyTypes": ["Ingress"],
                "ingress": [{"from": [{"podSelector": {"matchLabels": {"role": "friend"}}}]}],
            },
        },
    )

    def friend_allowed() -> bool:
        name = f"friend-{uuid.uuid4().hex[:4]}"
        apply(sandbox, pod(sandbox, name, namespace, probe, labels={"app": name, "role": "friend"}))
        return "OPEN" in ran(sandbox, namespace, name)

    wait_for(friend_allowed, 60, "the allow policy to let the labelled client through", interval=1)
    stranger = f"stranger-{uuid.uuid4().hex[:4]}"
    apply(sandbox, pod(sandbox, stranger, namespace, probe))
    assert "BLOCKED" in ran(sandbox, namespace, stranger)
