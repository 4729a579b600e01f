"""site.yml, cluster.yml and teardown.yml with the local and prod inventories.

This machine has the docker client but no Docker engine, and no k3d: the cluster
preflight must stop there with a message naming the engine, before changing anything.
Syntax checks and dry runs (--check) of site.yml and teardown.yml cover both
inventories; the dry runs act on the sandbox (STOREFLEET_KUBECONFIG points the
inventories at it) where the platform and Argo are installed for real first.

The prod inventory's server is a placeholder (example.invalid): its dry runs use
`-e ansible_connection=local`, so the k3s play runs its read-only probes on this
machine, where no k3s is installed, and reports the install it would do.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ansible_runner
import pytest

from storefleet_sandbox import SandboxClient
from storefleet_sandbox.client import REPO_ROOT
from tests.integration.ansible_run import PlaybookRun
from tests.integration.ansible_run import run_playbook as run_on_sandbox_inventory
from tests.shared import ARGO_INSTALL_MANIFEST as ARGO_INSTALL

PLAYBOOKS = REPO_ROOT / "playbooks"
# The prod server is a placeholder: dry runs reach "it" on this machine.
PROD_LOCAL = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}


def run(
    playbook: str,
    inventory: str,
    private_data_dir: Path,
    envvars: Mapping[str, str],
    extravars: Mapping[str, Any] | None = None,
    check: bool = False,
) -> PlaybookRun:
    """Run a playbook of playbooks/ with inventories/<inventory>, through ansible-runner."""
    private_data_dir.mkdir(parents=True, exist_ok=True)
    runner = ansible_runner.run(
        private_data_dir=str(private_data_dir),
        project_dir=str(REPO_ROOT),
        playbook=str(PLAYBOOKS / playbook),
        inventory=str(REPO_ROOT / "inventories" / inventory),
        extravars=dict(extravars or {}),
        cmdline="--check" if check else None,
        envvars={
            "ANSIBLE_CONFIG": str(REPO_ROOT / "ansible.cfg"),
            "ANSIBLE_NOCOLOR": "1",
            "PATH": f"{REPO_ROOT / '.tools' / 'bin'}:{REPO_ROOT / '.venv' / 'bin'}:/usr/bin:/bin"
            ":/usr/local/bin",
            **envvars,
        },
        quiet=True,
        timeout=900,
    )
    return PlaybookRun.from_runner(runner, playbook, private_data_dir)


def reported(result: PlaybookRun) -> str:
    """Every message the run's debug tasks printed, one per line (unwrapped)."""
    lines = []
    for event in result.events:
        if event.get("event") == "runner_on_ok":
            message = event["event_data"]["res"].get("msg")
            if message is not None:
                lines.append(" ".join(message) if isinstance(message, list) else str(message))
    return "\n".join(lines)


def docker_engine_reachable() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True, check=False).returncode == 0


# --- Preflight on this machine ----------------------------------------------------------


@pytest.mark.skipif(docker_engine_reachable(), reason="this machine has a Docker engine")
def test_preflight_names_the_missing_docker_engine_and_changes_nothing(tmp_path: Path) -> None:
    kubeconfig = tmp_path / "kube" / "storefleet-local.yaml"
    result = run(
        "cluster.yml",
        "local",
        tmp_path / "run",
        {"STOREFLEET_KUBECONFIG": str(kubeconfig)},
    )
    assert result.rc != 0, result.explain()
    assert result.failed_tasks() == ["Stop when a tool is missing or unusable"], result.explain()
    message = result.failure_messages()[0]
    assert "the Docker engine is not running or not reachable" in message
    assert "make user-tools" in message  # k3d is not installed here either
    assert result.changed == 0
    ran = {
        event["event_data"].get("task")
        for event in result.events
        if "task" in event.get("event_data", {})
    }
    assert "Create the k3d cluster with its registry" not in ran
    assert not kubeconfig.parent.exists()


# --- Syntax ---------------------------------------------------------------------------


@pytest.mark.parametrize("inventory", ["local", "prod"])
@pytest.mark.parametrize("playbook", ["site.yml", "teardown.yml"])
def test_syntax(playbook: str, inventory: str) -> None:
    result = subprocess.run(
        [
            "ansible-playbook",
            "--syntax-check",
            "-i",
            f"inventories/{inventory}",
            f"playbooks/{playbook}",
        ],
        cwd=REPO_ROOT,
        env={
            "ANSIBLE_CONFIG": str(REPO_ROOT / "ansible.cfg"),
            "PATH": f"{REPO_ROOT / '.venv' / 'bin'}:/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- Dry runs against the sandbox -------------------------------------------------------


@pytest.fixture(scope="module")
def installed_platform(
    sandbox: SandboxClient, tmp_path_factory: pytest.TempPathFactory
) -> SandboxClient:
    """The platform and Argo installed for real on the sandbox (as site.yml would)."""
    workdir = tmp_path_factory.mktemp("site-install")
    platform = run_on_sandbox_inventory(
        sandbox, str(PLAYBOOKS / "platform.yml"), workdir / "platform"
    )
    assert platform.ok, platform.explain()
    argo = run_on_sandbox_inventory(
        sandbox,
        str(PLAYBOOKS / "argo.yml"),
        workdir / "argo",
        extravars={"argo_install_manifest": str(ARGO_INSTALL)},
    )
    assert argo.ok, argo.explain()
    return sandbox


def sandbox_env(sandbox: SandboxClient) -> dict[str, str]:
    return {
        "STOREFLEET_KUBECONFIG": str(sandbox.kubeconfig),
        "STOREFLEET_KUBE_CONTEXT": "storefleet-sandbox",
        "K8S_AUTH_KUBECONFIG": str(sandbox.kubeconfig),
        "PATH": sandbox.env()["PATH"] + f":{REPO_ROOT / '.venv' / 'bin'}",
    }


def store_cap(sandbox: SandboxClient) -> str:
    quota = json.loads(
        sandbox.kubectl(
            "-n", "storefleet-system", "get", "resourcequota", "storefleet-store-cap", "-o", "json"
        )
    )
    return quota["spec"]["hard"]["count/stores.storefleet.io"]


@pytest.mark.sandbox
@pytest.mark.slow
@pytest.mark.parametrize("inventory", ["local", "prod"])
def test_site_dry_run(installed_platform: SandboxClient, inventory: str, tmp_path: Path) -> None:
    sandbox = installed_platform
    cap_before = store_cap(sandbox)
    result = run(
        "site.yml",
        inventory,
        tmp_path,
        sandbox_env(sandbox),
        {
            "argo_install_manifest": str(ARGO_INSTALL),
            **(PROD_LOCAL if inventory == "prod" else {}),
        },
        check=True,
    )
    assert result.ok, result.explain()
    # The preflight reported (not enforced) the missing engine, the images their tags.
    messages = reported(result)
    assert "A real run would stop here:" in messages
    assert "the Docker engine is not running or not reachable" in messages
    assert "A real run builds and pushes" in messages
    if inventory == "local":
        assert "A real run creates the k3d cluster: k3d cluster create storefleet" in messages
    else:
        assert "A real run installs k3s v1.36.2+k3s1" in messages
    # A dry run changes nothing: the inventories' store caps differ from the sandbox's.
    assert store_cap(sandbox) == cap_before


@pytest.mark.sandbox
@pytest.mark.parametrize("inventory", ["local", "prod"])
def test_teardown_dry_run_keeps_everything(
    installed_platform: SandboxClient, inventory: str, tmp_path: Path
) -> None:
    sandbox = installed_platform
    result = run(
        "teardown.yml",
        inventory,
        tmp_path,
        sandbox_env(sandbox),
        PROD_LOCAL if inventory == "prod" else {},
        check=True,
    )
    assert result.ok, result.explain()
    assert sandbox.kubeconfig.is_file()
    assert sandbox.kubectl("get", "namespace", "storefleet-system", "-o", "name").strip()


def test_prod_teardown_wants_confirmation(tmp_path: Path) -> None:
    kubeconfig = tmp_path / "storefleet-prod.yaml"
    kubeconfig.write_text("apiVersion: v1\nkind: Config\n")
    result = run(
        "teardown.yml",
        "prod",
        tmp_path / "run",
        {"STOREFLEET_KUBECONFIG": str(kubeconfig)},
        PROD_LOCAL,
    )
    assert result.rc != 0, result.explain()
    assert "-e teardown_confirm=yes" in result.failure_messages()[0]
    assert result.changed == 0
    assert kubeconfig.is_file()
