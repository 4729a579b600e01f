"""What a stopped sandbox must not leave on the machine, found by name."""

from __future__ import annotations

from pathlib import Path

import psutil

from . import firewall, host
from .node import _cache_dir

# Programs only a sandbox runs on this machine.
SANDBOX_PROGRAMS = {
    "etcd",
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
    "kwok",
    "kubelet",
    "kube-proxy",
    "kube-router",
    "local-path-provisioner",
    "workflow-controller",
    "registry",
    "traefik",
    "coredns",
    "argoexec",
}


def processes() -> list[str]:
    found = []
    for process in psutil.process_iter(["pid", "name", "cmdline"]):
        name = process.info["name"] or ""
        cmdline = " ".join(process.info["cmdline"] or [])
        if name in SANDBOX_PROGRAMS or str(host.RUN_DIR) in cmdline:
            found.append(f"{process.info['pid']} {cmdline[:120]}")
    return found


def network_namespaces() -> list[str]:
    """Named network namespaces under the runtime state (the CRI keeps pods' there)."""
    return [str(path) for path in host.RUN_DIR.glob("*/containerd/**/netns/*")]


def find(sandbox_dir: Path | None = None) -> dict[str, list[str]]:
    """Every kind of leftover, each with what was found (empty lists: nothing left)."""
    roots = [host.RUN_DIR, _cache_dir()]
    if sandbox_dir is not None:
        roots.append(sandbox_dir)
    log_links = Path("/var/log/containers")
    return {
        "processes": processes(),
        "iptables chains": firewall.chains(),
        "ipsets": firewall.ipsets(),
        "mounts": host.mounts_under(*roots),
        "cgroups": host.leftover_cgroups(),
        "bridges": host.bridges(),
        "network namespaces": network_namespaces(),
        "container log links": [
            str(link) for link in (log_links.iterdir() if log_links.is_dir() else []) if "sandbox-real-" in str(link.resolve())
        ],
        "runtime directories": [str(p) for p in host.RUN_DIR.glob("sandbox-real-*")],
    }


def main() -> int:
    found = {kind: items for kind, items in find().items() if items}
    for kind, items in found.items():
        print(f"{kind}:")
        for item in items:
            print(f"  {item}")
    return 1 if found else 0
