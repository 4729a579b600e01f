"""The k3d and k3s command lines of roles/cluster, rendered from the real inventories.

The role keeps its command lines as data in vars/main.yml; these tests render them with
the variables Ansible gives the controller (or the k3s server) of inventories/local and
inventories/prod, exactly as a play would, and compare whole argv lists.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template
from ansible.vars.manager import VariableManager

REPO_ROOT = Path(__file__).resolve().parents[2]
ROLES = REPO_ROOT / "roles"


def role_vars(
    inventory: str,
    host: str,
    role: str,
    overrides: dict[str, Any] | None = None,
) -> Templar:
    """A Templar over what `role` sees on `host`: defaults < inventory < role vars."""
    loader = DataLoader()
    manager = InventoryManager(loader=loader, sources=[str(REPO_ROOT / "inventories" / inventory)])
    variables = VariableManager(loader=loader, inventory=manager).get_vars(
        host=manager.get_host(host)
    )
    defaults = loader.load_from_file(
        str(ROLES / role / "defaults" / "main.yml"), trusted_as_template=True
    )
    derived = loader.load_from_file(
        str(ROLES / role / "vars" / "main.yml"), trusted_as_template=True
    )
    merged = {**defaults, **variables, **derived, "ansible_check_mode": False}
    merged.update(overrides or {})
    return Templar(loader=loader, variables=merged)


def render(templar: Templar, expression: str) -> Any:
    return templar.template(trust_as_template("{{ " + expression + " }}"))


K3S_VERSION = "v1.36.2+k3s1"


def test_k3d_create_command_from_the_local_inventory() -> None:
    templar = role_vars("local", "localhost", "cluster")
    assert render(templar, "__cluster_k3d_create_argv") == [
        "k3d",
        "cluster",
        "create",
        "storefleet",
        "--registry-create",
        # The registry is reachable from this machine only.
        "storefleet-registry:127.0.0.1:5000",
        "-p",
        "80:80@loadbalancer",
        "-p",
        "443:443@loadbalancer",
        "--agents",
        "0",
        # k3s keeps its Traefik (the edge) and encrypts Secrets at rest.
        "--k3s-arg",
        "--secrets-encryption@server:*",
        "--image",
        "rancher/k3s:v1.36.2-k3s1@sha256:6a47cea22c4b834d4ba72c89d291696b79ebe406251f90b446e4dff03513dd87",
        "--wait",
    ]
    assert render(templar, "cluster_kind") == "k3d"


def test_k3d_names_the_context_the_local_inventory_uses(monkeypatch) -> None:
    monkeypatch.delenv("STOREFLEET_KUBE_CONTEXT", raising=False)
    templar = role_vars("local", "localhost", "cluster")
    assert render(templar, "__cluster_k3d_context") == render(templar, "cluster_kube_context")


def test_local_cluster_commands_use_the_cluster_name() -> None:
    templar = role_vars("local", "localhost", "cluster", {"cluster_name": "demo"})
    assert render(templar, "__cluster_k3d_list_argv") == ["k3d", "cluster", "list", "-o", "json"]
    assert render(templar, "__cluster_k3d_kubeconfig_argv") == ["k3d", "kubeconfig", "get", "demo"]
    assert render(templar, "__cluster_k3d_delete_argv") == ["k3d", "cluster", "delete", "demo"]


def test_k3s_install_from_the_prod_inventory(monkeypatch) -> None:
    monkeypatch.setenv("STOREFLEET_VPS_HOST", "203.0.113.10")
    templar = role_vars("prod", "store-vps", "cluster")
    assert render(templar, "cluster_kind") == "k3s"
    assert render(templar, "__cluster_k3s_install_environment") == {
        "INSTALL_K3S_VERSION": K3S_VERSION,
        "INSTALL_K3S_EXEC": (
            "server --secrets-encryption --write-kubeconfig-mode=0600 --tls-san 203.0.113.10"
        ),
    }
    assert render(templar, "__cluster_k3s_install_argv") == [
        "sh",
        "/usr/local/lib/storefleet/k3s-install.sh",
    ]
    assert render(templar, "cluster_k3s_install_script_url") == (
        f"https://raw.githubusercontent.com/k3s-io/k3s/{K3S_VERSION}/install.sh"
    )
    assert render(templar, "__cluster_k3s_server_url") == "https://203.0.113.10:6443"


def test_prod_placeholder_host_never_resolves(monkeypatch) -> None:
    monkeypatch.delenv("STOREFLEET_VPS_HOST", raising=False)
    templar = role_vars("prod", "store-vps", "cluster")
    assert render(templar, "__cluster_k3s_install_environment.INSTALL_K3S_EXEC").endswith(
        "--tls-san example.invalid"
    )


def test_one_kubernetes_version_for_k3d_and_k3s() -> None:
    local = role_vars("local", "localhost", "cluster")
    prod = role_vars("prod", "store-vps", "cluster")
    image_tag = render(local, "__cluster_k3s_image").split(":", 1)[1].split("@")[0]
    installed = render(prod, "__cluster_k3s_install_environment.INSTALL_K3S_VERSION")
    assert image_tag.replace("-", "+") == installed == K3S_VERSION


@pytest.mark.parametrize(
    ("inventory", "tls", "issuer"),
    [("local", False, ""), ("prod", True, "letsencrypt")],
)
def test_tls_follows_the_inventory(inventory: str, tls: bool, issuer: str) -> None:
    templar = role_vars(inventory, "localhost", "cluster")
    assert render(templar, "cluster_tls_enabled | bool") is tls
    store = role_vars(inventory, "localhost", "store", {"store_name": "demo"})
    assert render(store, "store_tls_enabled | bool") is tls
    assert render(store, "store_cert_manager_issuer") == issuer
    if tls:
        assert render(templar, "cluster_cert_manager_issuer") == issuer
