"""The argo role applies only the install manifest its pinned sha256 names.

The role's validate step runs here with no cluster: a local manifest that differs from
the pinned one by a byte is refused before anything is applied; the vendored upstream
copy passes. (A download is checked by get_url against the same sha256.)
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.shared import ARGO_INSTALL_MANIFEST as ARGO_INSTALL
from tests.unit.ansible_cli import ansible_cli

pytestmark = [pytest.mark.slow]

PLAY = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Validate the argo role's settings
      ansible.builtin.include_role:
        name: storefleet.platform.argo
        tasks_from: validate.yml
"""


def validate(tmp_path: Path, manifest: Path) -> subprocess.CompletedProcess[str]:
    playbook = tmp_path / "validate.yml"
    playbook.write_text(PLAY)
    return ansible_cli(
        "ansible-playbook",
        "-i",
        "localhost,",
        "-c",
        "local",
        str(playbook),
        "-e",
        json.dumps({"argo_install_manifest": str(manifest)}),
        timeout=300,
    )


def test_the_pinned_upstream_manifest_passes(tmp_path: Path) -> None:
    done = validate(tmp_path, ARGO_INSTALL)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_manifest_changed_by_one_byte_is_refused(tmp_path: Path) -> None:
    tampered = tmp_path / "install.yaml"
    tampered.write_bytes(ARGO_INSTALL.read_bytes() + b"\n")
    done = validate(tmp_path, tampered)
    assert done.returncode != 0
    assert "not the pinned" in done.stdout, done.stdout
