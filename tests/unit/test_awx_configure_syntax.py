"""playbooks/awx_configure.yml parses with each inventory that configures an AWX."""

from __future__ import annotations

import pytest

from tests.awx_server.data import INVENTORIES, REPO
from tests.unit.ansible_cli import ansible_cli


@pytest.mark.parametrize("inventory", INVENTORIES)
def test_syntax_check(inventory: str) -> None:
    done = ansible_cli(
        "ansible-playbook",
        "-i",
        str(REPO / "inventories" / inventory),
        "playbooks/awx_configure.yml",
        "--syntax-check",
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("inventory", INVENTORIES)
def test_the_awx_group_is_localhost_only(inventory: str) -> None:
    """The configuration talks to AWX's API from this machine; AWX's own import of
    hosts.yml never sees the group or its controller_* data."""
    done = ansible_cli(
        "ansible-inventory",
        "-i",
        str(REPO / "inventories" / inventory),
        "--graph",
        "storefleet_awx",
        check=True,
    )
    assert done.stdout.split() == ["@storefleet_awx:", "|--localhost"]
    hosts_only = ansible_cli(
        "ansible-inventory",
        "-i",
        str(REPO / "inventories" / inventory / "hosts.yml"),
        "--list",
        check=True,
    )
    assert "storefleet_awx" not in hosts_only.stdout
    assert "controller_templates" not in hosts_only.stdout
