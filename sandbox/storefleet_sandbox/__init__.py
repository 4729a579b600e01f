"""The sandbox Kubernetes cluster that tests, benchmarks and `make demo` run against."""

from .client import SandboxClient, tool, tools_bin
from .cluster import Sandbox

__all__ = ["Sandbox", "SandboxClient", "tool", "tools_bin"]
