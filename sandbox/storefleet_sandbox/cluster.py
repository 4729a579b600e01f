"""A real Kubernetes control plane with kwok-simulated nodes and, optionally, real nodes.

etcd, kube-apiserver, kube-controller-manager and kube-scheduler are the upstream
binaries built by `make tools`; kwok plays the kubelets of the simulated nodes, so pods
are scheduled and turn Ready (and run-to-completion pods Succeed) without a container
runtime: those nodes are for scale. Real nodes (containerd + runc + CNI bridge, a
kubelet each, kube-proxy, kube-router enforcing NetworkPolicy, CoreDNS) run the pods
that land on them, behind a taint; the sandbox registry feeds them images and Traefik
on loopback is the edge. rancher's local-path-provisioner serves the default
StorageClass, and once Argo's CRDs are installed the sandbox runs Argo's
workflow-controller, as the controller Deployment would on a real cluster.

`Sandbox.components` is the fault API: stop, kill, pause and start again one component
(etcd, kube-apiserver, the workflow-controller, ...) keeping its ports, data and
certificates.
"""

from __future__ import annotations

import json
import os
import shutil
import ssl
import threading
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import addons, edge, host, network, registry
from .client import ADDON_IMAGES_FILE, ARGO_NAMESPACE, ARGO_PID_FILE, SandboxClient, tool
from .components import Component, Components, always_ready
from .images import ensure_addon_images
from .kubeconfig import write_kubeconfig
from .node import NodeLayout, RealNode, clear_node, clear_unrecorded_node
from .pki import SandboxPKI
from .processes import ManagedProcess, free_port

MANIFESTS = Path(__file__).resolve().parent / "manifests"
SERVICE_CIDR = "10.96.0.0/16"
# The Gateway API CRDs tools/install.sh extracted from the pinned release.
GATEWAY_API_CRDS = (
    Path(__file__).resolve().parents[2] / ".tools" / "manifests" / "gateway-api-standard.yaml"
)
# Argo's step pods on simulated nodes never run their executor image.
SIMULATED_EXECUTOR_IMAGE = "quay.io/argoproj/argoexec:v4.1.2"
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
    """Capacity of one simulated node: an 8-core, 32 GiB cloud VM. A store's backend and
    worker pods share its uploads volume (ReadWriteOnce), so one node must hold them all:
    a large store's take 4 cores."""

    cpu: str = "8"
    memory: str = "32Gi"
    pods: str = "110"
    ephemeral_storage: str = "100Gi"


class Sandbox(SandboxClient):
    """Start with `start()` (or as a context manager), stop with `stop()`."""

    def __init__(
        self, directory: Path, nodes: int = 3, real_nodes: int = 0, shape: NodeShape | None = None
    ) -> None:
        if nodes < 2:
            raise ValueError("the sandbox simulates at least two nodes")
        if real_nodes not in (0, 1, 2):
            raise ValueError("the sandbox runs zero, one or two real nodes")
        super().__init__(directory)
        self.node_count = nodes
        self.real_node_count = real_nodes
        self.shape = shape or NodeShape()
        self.logs = self.directory / "logs"
        self.api_port = 0
        self.api_address = "127.0.0.1"
        self._processes: list[ManagedProcess] = []
        # The control plane, kwok, storage and the workflow-controller, by name.
        self.components = Components()
        # Started after the control plane, stopped before the real nodes.
        self._host_services: list[ManagedProcess] = []
        self.real_nodes: list[RealNode] = []
        self.addon_images: dict[str, str] = {}
        self._host_lock = host.HostLock()
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
            if self.real_node_count:
                host.require_real_node_host()
                self._host_lock.acquire(f"pid {os.getpid()}, {self.directory}")
                clear_host()
                self.api_address = host.host_address()
            self._start_control_plane()
            self._install_gateway_api()
            self._start_nodes()
            if self.real_node_count:
                self._start_real_nodes()
            self._start_storage()
            self._argo_thread = threading.Thread(
                target=self._run_argo_controller_when_installed, name="argo", daemon=True
            )
            self._argo_thread.start()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop every process this sandbox started, newest first; undo what real nodes changed."""
        self._stop_event.set()
        if self._argo_thread is not None:
            self._argo_thread.join(timeout=30)
        if self.argo_controller is not None:
            self.argo_controller.stop()
        for process in reversed(self._host_services):
            process.stop()
        self._host_services.clear()
        for node in reversed(self.real_nodes):
            node.stop()
        self.real_nodes.clear()
        for process in reversed(self._processes):
            process.stop()
        self._processes.clear()
        if self.real_node_count:
            clear_host()
            self._host_lock.release()

    # -- control plane -----------------------------------------------------------------

    def _spawn(
        self,
        name: str,
        argv: list[str],
        env: dict[str, str] | None = None,
        ready: Callable[[], bool] = always_ready,
        what: str = "its start",
    ) -> ManagedProcess:
        """Start a component; `ready` says it serves (waited for by the caller)."""
        process = ManagedProcess(name, argv, self.logs / f"{name}.log", env)
        process.start()
        self._processes.append(process)
        self.components.add(name, Component(process, ready, what))
        return process

    def _start_control_plane(self) -> None:
        pki = SandboxPKI(self.directory / "pki")
        sa_keys = pki.service_account_keys()
        etcd_port, etcd_peer_port = free_port(), free_port()
        self.api_port = free_port()
        server = f"https://{self.api_address}:{self.api_port}"

        self._spawn(
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
            ready=lambda: (
                _http_json(f"http://127.0.0.1:{etcd_port}/health").get("health") == "true"
            ),
            what="healthy etcd",
        )
        self.components.wait_ready("etcd", timeout=30)

        serving = pki.issue(
            "apiserver",
            "kube-apiserver",
            server_hosts=(
                self.api_address,
                "127.0.0.1",
                "localhost",
                "10.96.0.1",
                "kubernetes",
                "kubernetes.default",
                "kubernetes.default.svc",
                "kubernetes.default.svc.cluster.local",
            ),
        )
        # The API server calls the kubelets (logs, exec) with a certificate of its own.
        kubelet_client = pki.issue("apiserver-kubelet-client", "kube-apiserver-kubelet-client")
        self._spawn(
            "kube-apiserver",
            [
                tool("kube-apiserver"),
                f"--etcd-servers=http://127.0.0.1:{etcd_port}",
                # With real nodes, pods reach the API through the `kubernetes` Service,
                # which leads to this address.
                f"--bind-address={self.api_address}",
                f"--advertise-address={self.api_address}",
                f"--kubelet-client-certificate={kubelet_client.cert}",
                f"--kubelet-client-key={kubelet_client.key}",
                f"--kubelet-certificate-authority={pki.ca.cert}",
                "--kubelet-preferred-address-types=InternalIP,Hostname",
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
            ready=lambda: self.kubectl("get", "--raw=/readyz", check=False).strip() == "ok",
            what="ready API server",
        )
        admin = pki.issue("admin", "storefleet-sandbox-admin", organization="system:masters")
        write_kubeconfig(self.kubeconfig, server, pki.ca.cert, admin, "admin")
        self.components.wait_ready("kube-apiserver", timeout=90)

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
            ready=lambda: _https_ok(f"https://127.0.0.1:{cm_port}/healthz"),
            what="healthz",
        )
        scheduler_config = component_kubeconfig("scheduler", "system:kube-scheduler")
        scheduler_port = free_port()
        self._spawn(
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
            ready=lambda: _https_ok(f"https://127.0.0.1:{scheduler_port}/healthz"),
            what="healthz",
        )
        self.components.wait_ready("kube-controller-manager", timeout=60)
        self.components.wait_ready("kube-scheduler", timeout=60)
        # Pods cannot be created before the service-account controller made `default`.
        controller_manager.wait_until(
            lambda: bool(self.kubectl("get", "serviceaccount", "default", "-o", "name")),
            timeout=60,
            what="the default service account",
        )
        self._component_kubeconfig = component_kubeconfig
        self._pki = pki
        self._server = server

    def _install_gateway_api(self) -> None:
        """The Gateway API types, as k3s with Traefik serves them: the platform's Gateway
        and the stores' HTTPRoutes are stored whether or not an edge serves them."""
        self.kubectl("apply", "--server-side", "-f", str(GATEWAY_API_CRDS))
        self.kubectl("wait", "--for=condition=Established", "crd", "--all", "--timeout=60s")

    # -- simulated nodes ---------------------------------------------------------------

    def _install_gateway_api(self) -> None:
        """The Gateway API types, with or without an edge to serve them: the platform's
        Gateway and the stores' HTTPRoutes are applied on simulated nodes too."""
        self.kubectl("apply", "--server-side", "-f", str(GATEWAY_API_CRDS))
        self.kubectl("wait", "--for=condition=Established", "crd", "--all", "--timeout=60s")

    def _start_nodes(self) -> None:
        kwok_config = self._component_kubeconfig("kwok", "kwok", "system:masters")
        kwok_port = free_port()
        kwok = self._spawn(
            "kwok",
            [
                tool("kwok"),
                f"--kubeconfig={kwok_config}",
                f"--config={MANIFESTS / 'kwok.yaml'}",
                f"--server-address=127.0.0.1:{kwok_port}",
                "--node-ip=10.0.0.10",
            ],
            ready=lambda: _http_ok(f"http://127.0.0.1:{kwok_port}/healthz"),
            what="healthz",
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
        names = {n["metadata"]["name"] for n in ready}
        return set(self.node_names()) <= names

    # -- real nodes --------------------------------------------------------------------

    def real_node_names(self) -> list[str]:
        return [node.layout.name for node in self.real_nodes]

    def _start_real_nodes(self) -> None:
        """Registry and add-on images first, then the nodes, Service routing, policy, DNS, edge."""
        self._start_registry()
        self._grant_node_components()
        for index in range(1, self.real_node_count + 1):
            node = RealNode(
                NodeLayout(index, self.directory),
                self.api_address,
                self._server,
                self._pki,
                self.addon_images["pause"],
            )
            self.real_nodes.append(node)
            node.start()
        self.real_nodes[0].kubelet.wait_until(self._real_nodes_ready, 90, "Ready real nodes")
        # kube-router finds its node by name: only once the kubelets registered them.
        self._start_node_network()
        self._apply(addons.coredns(self.addon_images["coredns"]))
        self._start_edge()
        self.kubectl(
            "-n", "kube-system", "rollout", "status", "deployment/coredns", "--timeout=120s"
        )

    def _start_registry(self) -> None:
        registry_config = registry.write_config(self.directory / "registry.yaml")
        process = self._host_service("registry", [tool("registry"), "serve", str(registry_config)])
        process.wait_until(registry.healthy, 30, "a serving registry")
        self.addon_images = ensure_addon_images()
        (self.directory / ADDON_IMAGES_FILE).write_text(json.dumps(self.addon_images))

    def _grant_node_components(self) -> None:
        """RBAC of the components beside the nodes, and the types the edge serves."""
        self.kubectl("apply", "-f", "-", input_text=network.KUBE_ROUTER_RBAC)
        self.kubectl(
            "create", "clusterrolebinding", "storefleet-sandbox:apiserver-kubelet",
            "--clusterrole=system:kubelet-api-admin", "--user=kube-apiserver-kubelet-client",
        )  # fmt: skip
        self._apply(addons.edge_access())

    def _start_node_network(self) -> None:
        first = self.real_nodes[0].layout
        proxy_config = self._component_kubeconfig("kube-proxy", "system:kube-proxy")
        self._host_service(
            "kube-proxy", network.kube_proxy_argv(self.directory, proxy_config, first)
        )
        router_config = self._component_kubeconfig("kube-router", "storefleet-sandbox:kube-router")
        for node in self.real_nodes:
            health_port = free_port()
            argv = network.kube_router_argv(router_config, node.layout, health_port)
            router = self._host_service(f"kube-router-{node.layout.name}", argv)
            router.wait_until(
                lambda port=health_port: _http_ok(f"http://127.0.0.1:{port}/healthz"), 60, "healthz"
            )

    def _start_edge(self) -> None:
        config = self._component_kubeconfig("edge", addons.EDGE_USER)
        ping_port = free_port()
        traefik = self._host_service(
            "edge",
            edge.traefik_argv(self.directory, ping_port),
            env={**os.environ, "KUBECONFIG": str(config)},
        )
        traefik.wait_until(lambda: _http_ok(f"http://127.0.0.1:{ping_port}/ping"), 30, "the edge")

    def _real_nodes_ready(self) -> bool:
        nodes = json.loads(self.kubectl("get", "nodes", "-l", "type=real", "-o", "json"))["items"]
        ready = [
            n
            for n in nodes
            if any(
                c["type"] == "Ready" and c["status"] == "True"
                for c in n.get("status", {}).get("conditions", [])
            )
        ]
        return len(ready) == self.real_node_count

    def _host_service(
        self, name: str, argv: list[str], env: dict[str, str] | None = None
    ) -> ManagedProcess:
        process = ManagedProcess(name, argv, self.logs / f"{name}.log", env)
        process.start()
        self._host_services.append(process)
        return process

    def _apply(self, objects: list[dict[str, object]]) -> None:
        self.kubectl(
            "apply",
            "-f",
            "-",
            input_text=json.dumps({"apiVersion": "v1", "kind": "List", "items": objects}),
        )

    # -- storage -----------------------------------------------------------------------

    def _start_storage(self) -> None:
        # Volumes of real nodes live in the sandbox's directory and go with it.
        manifest = (MANIFESTS / "local-path-storage.yaml").read_text()
        manifest = manifest.replace(
            "/var/lib/local-path-provisioner", str(self.directory / "volumes")
        )
        helper_image = self.addon_images.get("busybox", "busybox:1.36")
        manifest = manifest.replace("image: busybox:1.36", f"image: {helper_image}")
        self.kubectl("apply", "-f", "-", input_text=manifest)
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
                f"--helper-image={helper_image}",
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
                # Steps on real nodes run the executor the sandbox built; on simulated
                # nodes kwok completes them without it.
                f"--executor-image={self.addon_images.get('argoexec', SIMULATED_EXECUTOR_IMAGE)}",
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
        self._write_argo_pid(self.argo_controller)
        self.components.add(
            "workflow-controller", Component(self.argo_controller, on_start=self._write_argo_pid)
        )
        # This thread is the controller's parent: it must live as long as the controller
        # (the controller dies with its parent thread), so wait here for the stop.
        self._stop_event.wait()

    def _write_argo_pid(self, controller: ManagedProcess) -> None:
        (self.directory / ARGO_PID_FILE).write_text(str(controller.pid))


def clear_host() -> None:
    """Undo what real nodes of this or a crashed sandbox left: pods, mounts, cgroups,
    bridges, packet filter state, runtime directories."""
    for directory in sorted(host.RUN_DIR.glob("sandbox-real-*")):
        layout = NodeLayout.recorded(directory)
        if layout is not None:
            clear_node(layout)
        else:
            # A node killed before (or while) its record was written: clear it by place.
            clear_unrecorded_node(directory)
    host.remove_cgroup_roots()
    host.delete_bridges()
    network.clear_firewall()


def _http_ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback URL
        return bool(response.status == 200)


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
