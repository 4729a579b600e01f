"""`make sandbox` / `make sandbox-down`: the cluster starts in the background with its
real node, and stopping it leaves nothing behind: no process, iptables chain, ipset,
mount, cgroup, bridge or network namespace.

A sandbox with real nodes is one per machine: `make test-integration` runs this module
alone, before the session's own sandbox starts."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psutil
import pytest

from storefleet_sandbox import leftovers
from storefleet_sandbox.addons import real_node_placement
from storefleet_sandbox.client import REPO_ROOT, SandboxClient

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storefleet_sandbox", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_background_sandbox_starts_serves_and_stops_cleanly(tmp_path: Path) -> None:
    # A sandbox killed with its machine leaves its state behind; `down` without a running
    # sandbox clears it (and refuses to touch what a running sandbox owns).
    assert _cli("down", f"--dir={tmp_path / 'none'}").returncode == 0
    assert not any(leftovers.find().values()), leftovers.find()
    # pytest's tmp_path is too deep for the kubelet's unix sockets: a short directory.
    directory = Path(tempfile.mkdtemp(prefix="sbx-lifecycle-")) / "bg"
    started = _cli("up", f"--dir={directory}", "--nodes=2", "--real-nodes=1")
    assert started.returncode == 0, started.stdout + started.stderr
    try:
        assert _cli("status", f"--dir={directory}").returncode == 0
        supervisor = psutil.Process(int((directory / "sandbox.pid").read_text()))
        children = supervisor.children(recursive=True)
        names = {child.name() for child in children}
        assert {
            "etcd",
            "kube-apiserver",
            "kwok",
            "containerd",
            "kubelet",
            "kube-router",
        } <= names, names
        client = SandboxClient(directory)
        nodes = client.kubectl("get", "nodes", "-o", "name").split()
        assert len(nodes) == 3
        # A pod that ran leaves mounts, a network namespace, cgroups and chains to clear.
        pod = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "probe", "namespace": "default"},
            "spec": {
                **real_node_placement(),
                "terminationGracePeriodSeconds": 1,
                "containers": [
                    {
                        "name": "main",
                        "image": client.addon_image("busybox"),
                        "command": ["sleep", "600"],
                    }
                ],
            },
        }
        client.kubectl("apply", "-f", "-", input_text=json.dumps(pod))
        client.kubectl("wait", "--for=condition=Ready", "pod/probe", "--timeout=120s")
        during = leftovers.find(directory)
        assert during["mounts"] and during["cgroups"] and during["iptables chains"], during
    finally:
        stopped = _cli("down", f"--dir={directory}")
    assert stopped.returncode == 0, stopped.stderr
    _gone, alive = psutil.wait_procs([supervisor, *children], timeout=15)
    assert not alive, f"left behind: {[p.pid for p in alive]}"
    assert _cli("status", f"--dir={directory}").returncode == 3
    left = {kind: items for kind, items in leftovers.find(directory).items() if items}
    assert not left, left
    shutil.rmtree(directory.parent)
