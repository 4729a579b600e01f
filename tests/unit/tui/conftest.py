"""Fixtures of the TUI tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.awx_server import AwxTestServer
from tests.awx_server.configured import configure_templates


@pytest.fixture
def awx() -> Iterator[AwxTestServer]:
    """The recorded AWX with the local inventory's job templates; at the end, no request
    broke its API contract or was ignored."""
    with AwxTestServer(seed="recorded") as server:
        configure_templates(server)
        yield server
        assert server.violations == []
        assert server.ignored == []
