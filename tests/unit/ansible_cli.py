"""Ansible's command-line tools as a user runs them in the checkout, with its ansible.cfg."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping

from tests.awx_server.data import REPO


def ansible_cli(
    *argv: str, env: Mapping[str, str] | None = None, timeout: int = 120, check: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run `argv` (ansible-playbook, ansible-inventory, ...) in the checkout; `env` adds to
    this process's environment."""
    return subprocess.run(
        argv,
        cwd=REPO,
        env={**os.environ, "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"), **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )
