"""The fault suite's fixtures, and its table printed at the end of the session."""

from __future__ import annotations

from pathlib import Path

import pytest

from storefleet_sandbox import Sandbox, SandboxClient
from storefleet_sandbox.components import Components
from tests.faults.injection import TABLE
from tests.integration.ansible_run import apply_platform


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("faults")


@pytest.fixture(scope="module")
def platform(sandbox: SandboxClient, workdir: Path) -> SandboxClient:
    apply_platform(sandbox, workdir)
    return sandbox


@pytest.fixture
def components(sandbox: SandboxClient) -> Components:
    """The sandbox's processes, to stop and start: only in a sandbox this session runs."""
    if not isinstance(sandbox, Sandbox):
        pytest.skip("faults need a sandbox this session started (not STOREFLEET_SANDBOX_DIR)")
    return sandbox.components


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TABLE.rows:
        terminalreporter.section("fault table")
        terminalreporter.write_line(TABLE.render())
