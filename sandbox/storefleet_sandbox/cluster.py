"""A real Kubernetes control plane on loopback, with kwok-simulated nodes.

etcd, kube-apiserver, kube-controller-manager and kube-scheduler are the upstream
binaries built by `make tools`; kwok plays the kubelets, so pods are scheduled and turn
Ready (and run-to-completion pods Succeed) without a container runtime. rancher's
local-path-provisioner serves the default StorageClass, and once Argo's CRDs are
installed the sandbox runs Argo's workflow-controller, as the controller Deployment
would on a real cluster.
"""

from __future__ import annotations

import json
import os
import shutil
import ssl
import threading
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .client import ARGO_NAMESPACE, ARGO_PID_FILE, SandboxClient, tool
from .kubeconfig import write_kubeconfig
from .pki import SandboxPKI
from .processes import ManagedProcess, free_port

MANIFESTS = Path(__file__).resolve().parent / "manifests"
SERVICE_CIDR = "10.96.0.0/16"
SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local"

# Admission plugins of a production cluster; PodSecurity and ResourceQuota are the ones
# the store guardrails rely on.
ADMISSION_PLUGINS = ",".join(
    [
        "NamespaceLifecycle",
        "LimitRanger",
        "ServiceAccount",
        "DefaultStorageClass",
        "DefaultTolerationSeconds",
        "NodeRestriction",
        "PodSecurity",
        "Priority",
        "RuntimeClass",
        "StorageObjectInUseProtection",
        "PersistentVolumeClaimResize",
        "MutatingAdmissionWebhook",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionWebhook",
        "ResourceQuota",
    ]
)


@dataclass(frozen=True)
class NodeShape:
    """Capacity of one simulated node: a typical 4-core, 16 GiB cloud VM."""

    cpu: str = "4"
    memory: str = "16Gi"
    pods: str = "110"
    ephemeral_storage: str = "100Gi"


class Sandbox(SandboxClient):
    """Start with `start()` (or as a context manager), stop with `stop()`."""

    def __init__(self, directory: Path, nodes: int = 3, shape: NodeShape | None = None) -> None:
        if nodes < 2:
            raise ValueError("the sandbox simulates at least two nodes")
        super().__init__(directory)
        self.node_count = nodes
        self.shape = shape or NodeShape()
        self.logs = self.directory / "logs"
        self.api_port = 0
        self._processes: list[ManagedProcess] = []
        self._stop_event = threading.Event()
        self._argo_thread: threading.Thread | None = None
        self.argo_controller: ManagedProcess | None = None

    # -- lifecycle ---------------------------------------------------------------------

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        if self.directory.exists():
            shutil.rmtree(self.directory)
        self.logs.mkdir(parents=True)
        try:
            self._start_control_plane()
            self._start_nodes()
            self._start_storage()
            self._argo_thread = threading.Thread(
                target=self._run_argo_controller_when_installed, name="argo", daemon=True
            )
            self._argo_thread.start()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop every process this sandbox started, newest first."""
        self._stop_event.set()
        if self._argo_thread is not None:
            self._argo_thread.join(timeout=30)
        if self.argo_controller is not None:
            self.argo_controller.stop()
        for process in reversed(self._processes):
            process.stop()
        self._processes.clear()

    def pids(self) -> list[int]:
        processes = [*self._processes, *([self.argo_controller] if self.argo_controller else [])]
        return [p.pid for p in processes if p.pid is not None and p.running()]

    # -- control plane -----------------------------------------------------------------

    def _spawn(
        self, name: str, argv: list[str], env: dict[str, str] | None = None
    ) -> ManagedProcess:
        process = ManagedProcess(name, argv, self.logs / f"{name}.log", env)
        process.start()
        self._processes.append(process)
        return process

    def _start_control_plane(self) -> None:
        pki = SandboxPKI(self.directory / "pki")
        sa_keys = pki.service_account_keys()
        etcd_port, etcd_peer_port = free_port(), free_port()
        self.api_port = free_port()
        server = f"https://127.0.0.1:{self.api_port}"

        etcd = self._spawn(
            "etcd",
            [
                tool("etcd"),
                "--name=sandbox",
                f"--data-dir={self.directory / 'etcd'}",
                f"--listen-client-urls=http://127.0.0.1:{etcd_port}",
                f"--advertise-client-urls=http://127.0.0.1:{etcd_port}",
                f"--listen-peer-urls=http://127.0.0.1:{etcd_peer_port}",
                f"--initial-advertise-peer-urls=http://127.0.0.1:{etcd_peer_port}",
                f"--initial-cluster=sandbox=http://127.0.0.1:{etcd_peer_port}",
                # A throwaway cluster: durability is not worth the fsync latency.
                "--unsafe-no-fsync",
                "--log-level=warn",
            ],
        )
        etcd.wait_until(
            lambda: _http_json(f"http://127.0.0.1:{etcd_port}/health").get("health") == "true",
            timeout=30,
            what="healthy etcd",
        )

        serving = pki.issue(
            "apiserver",
            "kube-apiserver",
            server_hosts=(
                "127.0.0.1",
                "localhost",
                "10.96.0.1",
                "kubernetes",
                "kubernetes.default",
                "kubernetes.default.svc",
                "kubernetes.default.svc.cluster.local",
            ),
        )
        apiserver = self._spawn(
            "kube-apiserver",
            [
                tool("kube-apiserver"),
                f"--etcd-servers=http://127.0.0.1:{etcd_port}",
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                f"--secure-port={self.api_port}",
                f"--tls-cert-file={serving.cert}",
                f"--tls-private-key-file={serving.key}",
                f"--client-ca-file={pki.ca.cert}",
                f"--service-account-issuer={SERVICE_ACCOUNT_ISSUER}",
                f"--service-account-key-file={sa_keys.cert}",
                f"--service-account-signing-key-file={sa_keys.key}",
                f"--service-cluster-ip-range={SERVICE_CIDR}",
                "--authorization-mode=Node,RBAC",
                f"--enable-admission-plugins={ADMISSION_PLUGINS}",
                "--allow-privileged=true",
                "--profiling=false",
                "--event-ttl=1h",
                "--v=0",
            ],
        )
        admin = pki.issue("admin", "storefleet-sandbox-admin", organization="system:masters")
        write_kubeconfig(self.kubeconfig, server, pki.ca.cert, admin, "admin")
        apiserver.wait_until(
            lambda: self.kubectl("get", "--raw=/readyz", check=False).strip() == "ok",
            timeout=90,
            what="ready API server",
        )

        def component_kubeconfig(name: str, common_name: str, org: str | None = None) -> Path:
            client = pki.issue(name, common_name, organization=org)
            return write_kubeconfig(
                self.directory / f"{name}.kubeconfig", server, pki.ca.cert, client, name
            )

        cm_config = component_kubeconfig("controller-manager", "system:kube-controller-manager")
        cm_port = free_port()
        controller_manager = self._spawn(
            "kube-controller-manager",
            [
                tool("kube-controller-manager"),
                f"--kubeconfig={cm_config}",
                f"--authentication-kubeconfig={cm_config}",
                f"--authorization-kubeconfig={cm_config}",
                "--bind-address=127.0.0.1",
                f"--secure-port={cm_port}",
                f"--service-account-private-key-file={sa_keys.key}",
                f"--root-ca-file={pki.ca.cert}",
                f"--cluster-signing-cert-file={pki.ca.cert}",
                f"--cluster-signing-key-file={pki.ca.key}",
                # Each controller acts with its own service account, so RBAC applies.
                "--use-service-account-credentials=true",
                "--leader-elect=false",
                # Recount quota usage often: a quota on a newly installed custom resource
                # (the store cap) gets its first usage only at a full resync.
                "--resource-quota-sync-period=15s",
                "--v=0",
            ],
        )
        scheduler_config = component_kubeconfig("scheduler", "system:kube-scheduler")
        scheduler_port = free_port()
        scheduler = self._spawn(
            "kube-scheduler",
            [
                tool("kube-scheduler"),
                f"--kubeconfig={scheduler_config}",
                f"--authentication-kubeconfig={scheduler_config}",
                f"--authorization-kubeconfig={scheduler_config}",
                "--bind-address=127.0.0.1",
                f"--secure-port={scheduler_port}",
                "--leader-elect=false",
                "--v=0",
            ],
        )
        controller_manager.wait_until(
            lambda: _https_ok(f"https://127.0.0.1:{cm_port}/healthz"), 60, "healthz"
        )
        scheduler.wait_until(
            lambda: _https_ok(f"https://127.0.0.1:{scheduler_port}/healthz"), 60, "healthz"
        )
        # Pods cannot be created before the service-account controller made `default`.
        controller_manager.wait_until(
            lambda: bool(self.kubectl("get", "serviceaccount", "default", "-o", "name")),
            timeout=60,
            what="the default service account",
        )
        self._component_kubeconfig = component_kubeconfig

    # -- simulated nodes ---------------------------------------------------------------

    def _start_nodes(self) -> None:
        kwok_config = self._component_kubeconfig("kwok", "kwok", "system:masters")
        kwok = self._spawn(
            "kwok",
            [
                tool("kwok"),
                f"--kubeconfig={kwok_config}",
                f"--config={MANIFESTS / 'kwok.yaml'}",
                f"--server-address=127.0.0.1:{free_port()}",
                "--node-ip=10.0.0.10",
            ],
        )
        self.kubectl("apply", "-f", "-", input_text=json.dumps(self._node_list()))
        kwok.wait_until(self._nodes_ready, timeout=60, what="Ready nodes")

    def node_names(self) -> list[str]:
        return [f"sandbox-node-{index}" for index in range(1, self.node_count + 1)]

    def _node_list(self) -> dict[str, object]:
        shape = self.shape
        capacity = {
            "cpu": shape.cpu,
            "memory": shape.memory,
            "pods": shape.pods,
            "ephemeral-storage": shape.ephemeral_storage,
        }
        nodes = []
        for index, name in enumerate(self.node_names()):
            nodes.append(
                {
                    "apiVersion": "v1",
                    "kind": "Node",
                    "metadata": {
                        "name": name,
                        "annotations": {"kwok.x-k8s.io/node": "fake"},
                        "labels": {
                            "kubernetes.io/hostname": name,
                            "kubernetes.io/os": "linux",
                            "kubernetes.io/arch": "amd64",
                            "topology.kubernetes.io/zone": f"sandbox-{'abc'[index % 3]}",
                            "type": "kwok",
                        },
                    },
                    "status": {"capacity": capacity, "allocatable": capacity},
                }
            )
        return {"apiVersion": "v1", "kind": "List", "items": nodes}

    def _nodes_ready(self) -> bool:
        nodes = json.loads(self.kubectl("get", "nodes", "-o", "json"))["items"]
        ready = [
            n
            for n in nodes
            if any(
                c["type"] == "Ready" and c["status"] == "True"
                for c in n.get("status", {}).get("conditions", [])
            )
        ]
        return len(ready) == self.node_count

    # -- storage -----------------------------------------------------------------------

    def _start_storage(self) -> None:
        self.kubectl("apply", "-f", str(MANIFESTS / "local-path-storage.yaml"))
        config = self._component_kubeconfig(
            "local-path-provisioner", "local-path", "system:masters"
        )
        self._spawn(
            "local-path-provisioner",
            [
                tool("local-path-provisioner"),
                "start",
                f"--kubeconfig={config}",
                "--namespace=local-path-storage",
                "--service-account-name=local-path-provisioner-service-account",
                "--helper-image=busybox:1.36",
            ],
        )

    # -- Argo --------------------------------------------------------------------------

    def _run_argo_controller_when_installed(self) -> None:
        """Start workflow-controller once Argo's CRDs and config exist, as its Deployment would."""
        while not self._stop_event.wait(1.0):
            installed = self.kubectl(
                "get", "crd", "workflows.argoproj.io", "-o", "name", check=False
            ) and self.kubectl(
                "-n",
                ARGO_NAMESPACE,
                "get",
                "configmap",
                "workflow-controller-configmap",
                "-o",
                "name",
                check=False,
            )
            if installed:
                break
        else:
            return
        config = self._component_kubeconfig("argo", "argo-workflow-controller", "system:masters")
        self.argo_controller = ManagedProcess(
            "workflow-controller",
            [
                tool("workflow-controller"),
                f"--kubeconfig={config}",
                f"--namespace={ARGO_NAMESPACE}",
                "--loglevel=info",
                # The step pods never run their executor image: kwok completes them.
                "--executor-image=quay.io/argoproj/argoexec:v4.1.2",
            ],
            self.logs / "workflow-controller.log",
            env={
                **os.environ,
                "LEADER_ELECTION_DISABLE": "true",
                # Re-check running workflows every 2s instead of 10s: simulated steps
                # finish within a second, so the default would dominate every test.
                "DEFAULT_REQUEUE_TIME": "2s",
            },
        )
        self.argo_controller.start()
        (self.directory / ARGO_PID_FILE).write_text(str(self.argo_controller.pid))
        # This thread is the controller's parent: it must live as long as the controller
        # (the controller dies with its parent thread), so wait here for the stop.
        self._stop_event.wait()


def _http_json(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback URL
        return dict(json.loads(response.read()))


def _https_ok(url: str) -> bool:
    # Health endpoints of the components are served with self-signed certificates.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with urllib.request.urlopen(url, timeout=2, context=context) as response:  # noqa: S310
        return bool(response.status == 200)
