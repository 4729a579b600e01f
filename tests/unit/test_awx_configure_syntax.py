"""playbooks/awx_configure.yml parses with each inventory that configures an AWX."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.awx_server.data import INVENTORIES, REPO


@pytest.mark.parametrize("inventory", INVENTORIES)
def test_syntax_check(inventory: str) -> None:
    done = subprocess.run(
        [
            "ansible-playbook",
            "-i",
            str(REPO / "inventories" / inventory),
            "playbooks/awx_configure.yml",
            "--syntax-check",
        ],
        cwd=REPO,
        env={**os.environ, "ANSIBLE_CONFIG": str(REPO / "ansible.cfg")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("inventory", INVENTORIES)
def test_the_awx_group_is_localhost_only(inventory: str) -> None:
    """The configuration talks to AWX's API from this machine; AWX's own import of
    hosts.yml never sees the group or its controller_* data."""
    done = subprocess.run(
        [
            "ansible-inventory",
            "-i",
            str(REPO / "inventories" / inventory),
            "--graph",
            "storefleet_awx",
        ],
        cwd=REPO,
        env={**os.environ, "ANSIBLE_CONFIG": str(REPO / "ansible.cfg")},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.split() == ["@storefleet_awx:", "|--localhost"]
    hosts_only = subprocess.run(
        ["ansible-inventory", "-i", str(REPO / "inventories" / inventory / "hosts.yml"), "--list"],
        cwd=REPO,
        env={**os.environ, "ANSIBLE_CONFIG": str(REPO / "ansible.cfg")},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "storefleet_awx" not in hosts_only.stdout
    assert "controller_templates" not in hosts_only.stdout
