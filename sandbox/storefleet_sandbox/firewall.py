"""The packet filter state that kube-proxy, kube-router and the kubelet leave in the kernel.

They name their iptables chains KUBE-* (kube-router: KUBE-ROUTER-*, KUBE-NWPLCY-*,
KUBE-POD-FW-*) and kube-router its ipsets KUBE-* / kube-router-*. kube-router's own
cleanup cannot run on a kernel without IPVS, so the sandbox removes them itself: first
the jumps to them from the built-in chains, then the chains, then the ipsets.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess

CHAIN_PREFIXES = ("KUBE-",)
IPSET_PREFIXES = ("KUBE-", "kube-router-")
TABLES = ("filter", "nat", "mangle", "raw")
BUILTIN_CHAINS = {"INPUT", "OUTPUT", "FORWARD", "PREROUTING", "POSTROUTING"}


def _families() -> list[str]:
    return [tool for tool in ("iptables", "ip6tables") if shutil.which(tool)]


def _save(tool: str, table: str) -> list[str]:
    result = subprocess.run(
        [f"{tool}-save", "-t", table], capture_output=True, text=True, check=False
    )
    return result.stdout.splitlines() if result.returncode == 0 else []


def _ours(chain: str) -> bool:
    return chain.startswith(CHAIN_PREFIXES)


def chains() -> list[str]:
    """Every chain of ours still in the kernel, as `<tool> <table> <chain>`."""
    found = []
    for tool in _families():
        for table in TABLES:
            for line in _save(tool, table):
                if line.startswith(":") and _ours(line[1:].split()[0]):
                    found.append(f"{tool} {table} {line[1:].split()[0]}")
    return found


def ipsets() -> list[str]:
    if not shutil.which("ipset"):
        return []
    result = subprocess.run(["ipset", "list", "-n"], capture_output=True, text=True, check=False)
    return [name for name in result.stdout.split() if name.startswith(IPSET_PREFIXES)]


def remove_all() -> None:
    """Remove our chains (and the rules that jump to them) and our ipsets."""
    for tool in _families():
        for table in TABLES:
            lines = _save(tool, table)
            ours = [
                line[1:].split()[0]
                for line in lines
                if line.startswith(":") and _ours(line[1:].split()[0])
            ]
            if not ours:
                continue
            for line in lines:
                if not line.startswith("-A "):
                    continue
                parts = shlex.split(line)
                chain = parts[1]
                if chain in BUILTIN_CHAINS and any(_ours(p) for p in parts[2:]):
                    subprocess.run(
                        [tool, "-t", table, "-D", *parts[1:]], capture_output=True, check=False
                    )
            for chain in ours:
                subprocess.run([tool, "-t", table, "-F", chain], capture_output=True, check=False)
            for chain in ours:
                subprocess.run([tool, "-t", table, "-X", chain], capture_output=True, check=False)
    for name in ipsets():
        subprocess.run(["ipset", "destroy", name], capture_output=True, check=False)
