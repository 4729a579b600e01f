"""Which cluster an inventory points at, read with Ansible itself so templates resolve."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

_QUERY = (
    'msg={{ {"kubeconfig": storefleet_kubeconfig | default(""),'
    ' "context": storefleet_kube_context | default(""),'
    ' "environment": storefleet_environment | default(""),'
    ' "domain": storefleet_domain | default(""),'
    ' "simulated": storefleet_cluster_simulated | default(false) | bool} }}'
)


def _ansible() -> str:
    """`ansible` from the environment this package runs in, else from PATH."""
    beside = Path(sys.executable).parent / "ansible"
    return str(beside) if beside.exists() else "ansible"


class TargetError(RuntimeError):
    """The inventory could not be read."""


@dataclass(frozen=True)
class ClusterTarget:
    """What the context bar shows and what the cluster reader connects to."""

    inventory: str
    kubeconfig: Path | None
    context: str
    environment: str
    domain: str
    simulated: bool = False
    """Nodes are simulated (the sandbox): pods turn Ready but nothing is served."""

    @property
    def label(self) -> str:
        return f"{self.inventory} · {self.context or 'default context'}"


def read_target(inventory: Path, repo: Path, name: str | None = None) -> ClusterTarget:
    """Evaluate the inventory's `storefleet_*` cluster variables (about a second)."""
    env = {
        **os.environ,
        "ANSIBLE_CONFIG": str(repo / "ansible.cfg"),
        "ANSIBLE_LOAD_CALLBACK_PLUGINS": "1",
        "ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json",
    }
    result = subprocess.run(
        [_ansible(), "-i", str(inventory), "all[0]", "-m", "ansible.builtin.debug", "-a", _QUERY],
        capture_output=True,
        text=True,
        env=env,
        cwd=repo,
        timeout=60,
        check=False,
    )
    try:
        hosts = json.loads(result.stdout)["plays"][0]["tasks"][0]["hosts"]
        values = next(iter(hosts.values()))["msg"]
    except (ValueError, KeyError, IndexError, StopIteration, TypeError) as error:
        raise TargetError(f"cannot read {inventory}: {result.stderr.strip() or error}") from error
    kubeconfig = values.get("kubeconfig") or ""
    return ClusterTarget(
        inventory=name or inventory.name,
        kubeconfig=Path(kubeconfig) if kubeconfig else None,
        context=str(values.get("context", "")),
        environment=str(values.get("environment", "")),
        domain=str(values.get("domain", "")),
        simulated=values.get("simulated") is True,
    )
