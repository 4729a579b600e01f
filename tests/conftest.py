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
    STOREFLEET_SANDBOX_REAL_NODES=0 starts one without a real node (one with real nodes
    runs per machine): the tests that need it are skipped.
    """
    attach_to = os.environ.get("STOREFLEET_SANDBOX_DIR")
    if attach_to:
        yield SandboxClient(Path(attach_to))
        return
    real_nodes = int(os.environ.get("STOREFLEET_SANDBOX_REAL_NODES", "1"))
    with Sandbox(tmp_path_factory.mktemp("sandbox"), real_nodes=real_nodes) as cluster:
        yield cluster


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the real-node tests when this session's sandbox has no real node."""
    if os.environ.get("STOREFLEET_SANDBOX_REAL_NODES", "1") != "0":
        return
    skip = pytest.mark.skip(reason="STOREFLEET_SANDBOX_REAL_NODES=0: no real node")
    for item in items:
        if "real_node" in item.keywords:
            item.add_marker(skip)
