"""Fixtures shared by every test layer."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from storefleet_sandbox import Sandbox, SandboxClient


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxClient]:
    """The sandbox cluster, with its real node: one per test session, stopped at its end.

    STOREFLEET_SANDBOX_DIR=.sandbox attaches to a cluster started by `make sandbox`
    instead, which saves the start-up while iterating on tests.
    """
    attach_to = os.environ.get("STOREFLEET_SANDBOX_DIR")
    if attach_to:
        yield SandboxClient(Path(attach_to))
        return
    with Sandbox(tmp_path_factory.mktemp("sandbox"), real_nodes=1) as cluster:
        yield cluster
