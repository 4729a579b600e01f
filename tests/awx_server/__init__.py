"""A local stand-in for AWX 24.6.1 that answers with recorded responses (server.py)."""

from tests.awx_server.server import AwxTestServer

__all__ = ["AwxTestServer"]
