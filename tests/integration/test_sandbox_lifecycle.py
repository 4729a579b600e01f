"""`make sandbox` / `make sandbox-down`: the cluster starts in the background, and stopping
it leaves no process behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from storefleet_sandbox.client import REPO_ROOT, SandboxClient

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storefleet_sandbox", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_background_sandbox_starts_serves_and_stops_cleanly(tmp_path: Path) -> None:
    directory = tmp_path / "bg"
    started = _cli("up", f"--dir={directory}", "--nodes=2")
    assert started.returncode == 0, started.stdout + started.stderr
    try:
        assert _cli("status", f"--dir={directory}").returncode == 0
        supervisor = psutil.Process(int((directory / "sandbox.pid").read_text()))
        children = supervisor.children(recursive=True)
        names = {child.name() for child in children}
        assert {"etcd", "kube-apiserver", "kwok"} <= names, names
        nodes = SandboxClient(directory).kubectl("get", "nodes", "-o", "name").split()
        assert len(nodes) == 2
    finally:
        stopped = _cli("down", f"--dir={directory}")
    assert stopped.returncode == 0, stopped.stderr
    _gone, alive = psutil.wait_procs([supervisor, *children], timeout=15)
    assert not alive, f"left behind: {[p.pid for p in alive]}"
    assert _cli("status", f"--dir={directory}").returncode == 3
