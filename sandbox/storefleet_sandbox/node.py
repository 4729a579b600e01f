"""A real node: containerd + runc + the CNI bridge, and a kubelet that registers it.

Measured facts this follows (see the project's notes on real nodes): cgroups are v1 with
the cgroupfs driver, containerd must not try a negative oom_score_adj, pod subnets stay
outside podman's 10.88/16, and every node has its own containerd, CNI bridge, kubelet
ports and cgroup root. Image content persists in a machine-wide cache, so a node that
pulled an image once does not pull it again; everything else is the sandbox's and goes
when it stops.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import host, registry
from .client import tool
from .pki import CertPair, SandboxPKI
from .processes import ManagedProcess

# The longest path of a unix socket (sun_path holds 108 bytes with its final NUL).
UNIX_SOCKET_PATH_MAX = 107

TAINT_KEY = "storefleet.io/real-node"
POD_NETWORK = "10.85.0.0/16"
CLUSTER_DNS = "10.96.0.10"
CLUSTER_DOMAIN = "cluster.local"


def _cache_dir() -> Path:
    return (
        Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
        / "storefleet"
        / "sandbox-nodes"
    )


@dataclass(frozen=True)
class NodeLayout:
    """Where one real node keeps its files; index N gives subnet 10.85.N.0/24, ports, names."""

    index: int
    sandbox_dir: Path

    @property
    def name(self) -> str:
        return f"sandbox-real-{self.index}"

    @property
    def files(self) -> Path:
        return self.sandbox_dir / self.name

    @property
    def run(self) -> Path:
        # Unix sockets must stay under 108 characters: a short path in /run.
        return host.RUN_DIR / self.name

    @property
    def containerd_root(self) -> Path:
        return _cache_dir() / self.name / "containerd"

    @property
    def socket(self) -> Path:
        return self.run / "containerd.sock"

    @property
    def kubelet_root(self) -> Path:
        return self.files / "kubelet"

    @property
    def cgroup_root(self) -> str:
        return f"{host.CGROUP_ROOT_PREFIX}{self.name}"

    @property
    def bridge(self) -> str:
        return f"{host.BRIDGE_PREFIX}{self.index}"

    @property
    def subnet(self) -> str:
        return f"10.85.{self.index}.0/24"

    @classmethod
    def recorded(cls, run: Path) -> NodeLayout | None:
        """The layout of a node whose runtime directory a sandbox (maybe crashed) left."""
        try:
            sandbox_dir = Path((run / "sandbox-dir").read_text().strip())
            index = int(run.name.rsplit("-", 1)[1])
        except (FileNotFoundError, ValueError):
            return None
        return cls(index, sandbox_dir)

    @property
    def kubelet_port(self) -> int:
        return 10250 + 10 * (self.index - 1)

    @property
    def kubelet_healthz_port(self) -> int:
        return 10248 + 10 * (self.index - 1)


class RealNode:
    """Start with `start()`, stop with `stop()`; `clear()` removes what a crash left."""

    def __init__(
        self, layout: NodeLayout, address: str, server: str, pki: SandboxPKI, pause_image: str
    ) -> None:
        self.layout = layout
        self.address = address
        self.server = server
        self.pki = pki
        self.pause_image = pause_image
        self.containerd: ManagedProcess | None = None
        self.kubelet: ManagedProcess | None = None

    # -- configuration -------------------------------------------------------------------

    def _containerd_config(self) -> Path:
        layout = self.layout
        registry_hosts = layout.files / "certs.d" / registry.REGISTRY_HOST.replace(":", "_")
        registry_hosts.mkdir(parents=True, exist_ok=True)
        # The sandbox registry serves plain HTTP on loopback.
        (registry_hosts / "hosts.toml").write_text(
            f'server = "http://{registry.REGISTRY_HOST}"\n\n'
            f'[host."http://{registry.REGISTRY_HOST}"]\n  capabilities = ["pull", "resolve"]\n'
        )
        cri = 'plugins."io.containerd.grpc.v1.cri"'
        config = f"""version = 2
root = "{layout.containerd_root}"
state = "{layout.run / "containerd"}"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

[grpc]
  address = "{layout.socket}"

[ttrpc]
  address = "{layout.run / "containerd.ttrpc.sock"}"

[{cri}]
  sandbox_image = "{self.pause_image}"
  # root lacks CAP_SYS_RESOURCE here: a negative oom_score_adj would fail every sandbox.
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"

[{cri}.containerd]
  snapshotter = "overlayfs"
  default_runtime_name = "runc"

[{cri}.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"

[{cri}.containerd.runtimes.runc.options]
  BinaryName = "/usr/sbin/runc"
  Root = "{layout.run / "runc"}"
  SystemdCgroup = false

[{cri}.cni]
  bin_dir = "/usr/lib/cni"
  conf_dir = "{layout.files / "cni"}"
  max_conf_num = 1

[{cri}.registry]
  config_path = "{layout.files / "certs.d"}"
"""
        path = layout.files / "containerd.toml"
        path.write_text(config)
        return path

    def _cni_config(self) -> None:
        layout = self.layout
        directory = layout.files / "cni"
        directory.mkdir(parents=True, exist_ok=True)
        config = {
            "cniVersion": "1.0.0",
            "name": f"storefleet-{layout.name}",
            "plugins": [
                {
                    "type": "bridge",
                    "bridge": layout.bridge,
                    "isGateway": True,
                    # Pods talk to the host and to each other only: no NAT rules to leave behind.
                    "ipMasq": False,
                    "hairpinMode": True,
                    "ipam": {
                        "type": "host-local",
                        "ranges": [[{"subnet": layout.subnet}]],
                        "routes": [{"dst": "0.0.0.0/0"}],
                        "dataDir": str(layout.run / "ipam"),
                    },
                }
            ],
        }
        (directory / "10-storefleet.conflist").write_text(json.dumps(config, indent=2))

    def _kubelet_config(self, serving: CertPair) -> Path:
        layout = self.layout
        resolv = layout.files / "resolv.conf"
        # Pods that do not use cluster DNS get the host's resolver.
        shutil.copyfile("/etc/resolv.conf", resolv)
        config = {
            "apiVersion": "kubelet.config.k8s.io/v1beta1",
            "kind": "KubeletConfiguration",
            # This kind of host has cgroup v1 only and swap settings it cannot change.
            "failCgroupV1": False,
            "failSwapOn": False,
            "cgroupDriver": "cgroupfs",
            "cgroupRoot": f"/{layout.cgroup_root}",
            "cgroupsPerQOS": True,
            "enforceNodeAllocatable": ["pods"],
            "containerRuntimeEndpoint": f"unix://{layout.socket}",
            "address": self.address,
            "port": layout.kubelet_port,
            "readOnlyPort": 0,
            "healthzBindAddress": "127.0.0.1",
            "healthzPort": layout.kubelet_healthz_port,
            "tlsCertFile": str(serving.cert),
            "tlsPrivateKeyFile": str(serving.key),
            "authentication": {
                "anonymous": {"enabled": False},
                "webhook": {"enabled": True},
                "x509": {"clientCAFile": str(self.pki.ca.cert)},
            },
            "authorization": {"mode": "Webhook"},
            "clusterDNS": [CLUSTER_DNS],
            "clusterDomain": CLUSTER_DOMAIN,
            "resolvConf": str(resolv),
            "podLogsDir": str(layout.files / "pod-logs"),
            "volumePluginDir": str(layout.files / "volume-plugins"),
            "registerWithTaints": [{"key": TAINT_KEY, "value": "true", "effect": "NoSchedule"}],
            "maxPods": 60,
            "serializeImagePulls": False,
            # The image cache is the point of a warm node: it is collected only when the
            # disk fills up (the kubelet's defaults), not by age.
            "imageGCHighThresholdPercent": 85,
            "imageGCLowThresholdPercent": 80,
            "evictionHard": {
                "memory.available": "200Mi",
                "nodefs.available": "2%",
                "imagefs.available": "2%",
                "nodefs.inodesFree": "2%",
            },
            "nodeStatusReportFrequency": "10s",
            "shutdownGracePeriod": "0s",
            "logging": {"format": "text", "verbosity": 1},
        }
        path = layout.files / "kubelet.yaml"
        path.write_text(yaml.safe_dump(config))
        return path

    # -- lifecycle -----------------------------------------------------------------------

    def start(self, spawn: type[ManagedProcess] = ManagedProcess) -> None:
        layout = self.layout
        # The kubelet makes unix sockets under its root (pod-resources/<9 digits>); a
        # socket path is at most 107 bytes, and a longer one fails deep in its start.
        longest = layout.kubelet_root / "pod-resources" / ("9" * 9)
        if len(str(longest).encode()) > UNIX_SOCKET_PATH_MAX:
            raise host.HostError(
                f"the sandbox directory {layout.sandbox_dir} is too long for a real node's "
                f"sockets ({longest} is over {UNIX_SOCKET_PATH_MAX} bytes): use a shorter --dir"
            )
        for directory in (layout.files, layout.run, layout.containerd_root, layout.kubelet_root):
            directory.mkdir(parents=True, exist_ok=True)
        (layout.run / "sandbox-dir").write_text(str(layout.sandbox_dir))
        host.create_cgroup_root(layout.cgroup_root)
        self._cni_config()
        logs = layout.sandbox_dir / "logs"
        self.containerd = spawn(
            f"containerd-{layout.name}",
            ["/usr/bin/containerd", f"--config={self._containerd_config()}", "--log-level=warn"],
            logs / f"containerd-{layout.name}.log",
        )
        self.containerd.start()
        self.containerd.wait_until(lambda: self.crictl("version") is not None, 30, "the CRI socket")

        client = self.pki.issue(
            f"kubelet-{layout.name}", f"system:node:{layout.name}", organization="system:nodes"
        )
        serving = self.pki.issue(
            f"kubelet-serving-{layout.name}", layout.name, server_hosts=(self.address, layout.name)
        )
        from .kubeconfig import write_kubeconfig

        kubeconfig = write_kubeconfig(
            layout.files / "kubelet.kubeconfig", self.server, self.pki.ca.cert, client, layout.name
        )
        self.kubelet = spawn(
            f"kubelet-{layout.name}",
            [
                tool("kubelet"),
                f"--config={self._kubelet_config(serving)}",
                f"--kubeconfig={kubeconfig}",
                f"--root-dir={layout.kubelet_root}",
                f"--hostname-override={layout.name}",
                f"--node-ip={self.address}",
                f"--node-labels=type=real,{TAINT_KEY}=true",
            ],
            logs / f"kubelet-{layout.name}.log",
        )
        self.kubelet.start()

    def crictl(self, *args: str) -> str | None:
        result = subprocess.run(
            [
                tool("crictl"),
                f"--runtime-endpoint=unix://{self.layout.socket}",
                "--timeout=20s",
                *args,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout if result.returncode == 0 else None

    def stop(self) -> None:
        """Stop the kubelet, remove every pod through the runtime, stop containerd, clean up."""
        if self.kubelet is not None:
            self.kubelet.stop()
        if self.containerd is not None and self.containerd.running():
            # Through the CRI, so the CNI plugin releases each pod's address and veth.
            self.crictl("rmp", "--all", "--force")
            self.containerd.stop()
        clear_node(self.layout)


def clear_node(layout: NodeLayout) -> None:
    """Remove what a node may have left: shims, mounts, cgroups, its bridge, log links."""
    subprocess.run(
        ["pkill", "-KILL", "-f", f"containerd-shim.*{layout.run}"], capture_output=True, check=False
    )
    host.kill_cgroup_processes(layout.cgroup_root)
    host.unmount_all(
        layout.run, layout.kubelet_root, layout.containerd_root / "io.containerd.runtime.v2.task"
    )
    host.remove_cgroup_roots(layout.cgroup_root)
    host.delete_bridges(layout.bridge)
    shutil.rmtree(layout.run, ignore_errors=True)
    _remove_container_log_links(layout.files / "pod-logs")


def clear_unrecorded_node(run: Path) -> None:
    """Remove what a node left whose sandbox directory is unknown: its shims, mounts and
    runtime directory, and container log links into any node's pod logs."""
    subprocess.run(
        ["pkill", "-KILL", "-f", f"containerd-shim.*{run}"], capture_output=True, check=False
    )
    host.unmount_all(run, _cache_dir() / run.name)
    shutil.rmtree(run, ignore_errors=True)
    links = Path("/var/log/containers")
    if links.is_dir():
        for link in links.iterdir():
            if link.is_symlink() and f"/{run.name}/pod-logs/" in str(link.readlink()):
                link.unlink()


def _remove_container_log_links(pod_logs: Path) -> None:
    # The kubelet links every container's log into /var/log/containers.
    links = Path("/var/log/containers")
    if not links.is_dir():
        return
    for link in links.iterdir():
        if link.is_symlink() and str(link.readlink()).startswith(str(pod_logs)):
            link.unlink()
