"""What a stopped sandbox must not leave on the machine, found by name."""

from __future__ import annotations

from pathlib import Path

import psutil

from . import firewall, host
from .node import _cache_dir


def processes(*roots: Path) -> list[str]:
    """Processes whose command line names one of the sandbox's directories (every
    component is started with its files there; a container shim with its runtime state)."""
    marks = [str(root) for root in roots]
    found = []
    for process in psutil.process_iter(["pid", "cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if any(mark in cmdline for mark in marks):
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
        "processes": processes(host.RUN_DIR, *([sandbox_dir] if sandbox_dir else [])),
        "iptables chains": firewall.chains(),
        "ipsets": firewall.ipsets(),
        "mounts": host.mounts_under(*roots),
        "cgroups": host.leftover_cgroups(),
        "bridges": host.bridges(),
        "network namespaces": network_namespaces(),
        "container log links": [
            str(link)
            for link in (log_links.iterdir() if log_links.is_dir() else [])
            if "sandbox-real-" in str(link.resolve())
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
