"""Real helm for every test layer: against the sandbox cluster, or rendering a chart."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from storefleet_sandbox import SandboxClient, tool
from storefleet_sandbox.client import REPO_ROOT

STORE_CHART = REPO_ROOT / "charts" / "store"


def run_helm(
    *args: str, sandbox: SandboxClient | None = None, timeout: int = 180
) -> subprocess.CompletedProcess[str]:
    """`helm <args>`, against `sandbox` when given; the caller reads the outcome."""
    cluster = [f"--kubeconfig={sandbox.kubeconfig}"] if sandbox else []
    return subprocess.run(
        [tool("helm"), *cluster, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        env=sandbox.env() if sandbox else None,
    )


def helm(sandbox: SandboxClient, *args: str, timeout: int = 180) -> str:
    """`helm <args>` against the sandbox: its stdout, or a failure with its stderr."""
    result = run_helm(*args, sandbox=sandbox, timeout=timeout)
    assert result.returncode == 0, f"helm {' '.join(args)} failed: {result.stderr}"
    return result.stdout


def helm_history(sandbox: SandboxClient, name: str) -> list[dict[str, Any]]:
    """A store release's revisions; [] when there is no release (or no namespace)."""
    result = run_helm("-n", f"store-{name}", "history", name, "-o=json", sandbox=sandbox)
    return json.loads(result.stdout) if result.returncode == 0 else []


def helm_template(
    *args: str,
    release: str = "demo",
    namespace: str = "store-demo",
    chart: Path = STORE_CHART,
) -> subprocess.CompletedProcess[str]:
    """`helm template` of a chart (the store chart by default), no cluster needed."""
    return run_helm("template", release, str(chart), "--namespace", namespace, *args, timeout=60)
