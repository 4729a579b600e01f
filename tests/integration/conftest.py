"""Fixtures of the integration tests (the sandbox itself is in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storefleet_sandbox import SandboxClient
from tests.integration.ansible_run import apply_platform


@pytest.fixture(scope="module")
def workdir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory for the test module's playbook runs, named after the module."""
    return tmp_path_factory.mktemp(request.module.__name__.rpartition(".")[2])


@pytest.fixture(scope="module")
def platform(sandbox: SandboxClient, workdir: Path) -> SandboxClient:
    """The sandbox with the Store platform installed by its own playbook."""
    apply_platform(sandbox, workdir)
    return sandbox
