"""The runner bridge for real: ansible-runner, a playbook, the sandbox."""

from __future__ import annotations

import base64
import os
import time
from pathlib import Path
from typing import Any

import pytest

from storefleet_sandbox import SandboxClient
from storefleet_tui.core import artifacts
from storefleet_tui.core.events import RunModel, RunStatus
from storefleet_tui.core.run_processes import processes_naming
from storefleet_tui.core.runner import RunnerBridge, RunnerSettings, RunRequest
from tests.unit.tui.recorded import REPO

pytestmark = pytest.mark.sandbox
PLAYBOOK = str(REPO / "tests" / "fixtures" / "playbooks" / "tui_secret.yml")


def bridge(
    sandbox: SandboxClient, tmp_path: Path, namespace: str, sleep: bool, keep: int = 50
) -> RunnerBridge:
    os.environ.update(
        {k: v for k, v in sandbox.env().items() if k in ("KUBECONFIG", "K8S_AUTH_KUBECONFIG")}
    )
    return RunnerBridge(
        RunnerSettings(
            repo=REPO,
            inventory=REPO / "inventories" / "sandbox",
            artifacts_dir=tmp_path / "state" / "runs",
            keep_runs=keep,
            envvars={
                "TUI_SECRET_NAMESPACE": namespace,
                "TUI_SECRET_SLEEP": str(sleep).lower(),
                "K8S_AUTH_KUBECONFIG": str(sandbox.kubeconfig),
            },
        )
    )


def test_generated_secret_is_in_no_event_and_no_artifact(
    sandbox: SandboxClient, tmp_path: Path
) -> None:
    namespace = "tui-secret"
    sandbox.kubectl("create", "namespace", namespace)
    events: list[Any] = []
    cwd_before = set(Path.cwd().iterdir())
    try:
        run = bridge(sandbox, tmp_path, namespace, sleep=False).launch(
            RunRequest(PLAYBOOK), events.append
        )
        assert run.wait(120) == "successful"
        encoded = sandbox.kubectl(
            "-n",
            namespace,
            "get",
            "secret",
            "store-credentials",
            "-o",
            "jsonpath={.data.admin-password}",
        )
        password = base64.b64decode(encoded).decode()
        assert len(password) == 24
        assert events and all(password not in repr(event) for event in events)
        files = [p for p in (tmp_path / "state").rglob("*") if p.is_file()]
        assert any(p.name == "stdout" for p in files)
        for path in files:
            assert password.encode() not in path.read_bytes(), f"{path} holds the secret"
        assert set(Path.cwd().iterdir()) == cwd_before, "the run wrote into the working directory"
        model = RunModel()
        for event in events:
            model.ingest(event)
        assert model.status is RunStatus.SUCCESSFUL
    finally:
        sandbox.kubectl("delete", "namespace", namespace, "--wait=false")


def test_cancel_stops_the_playbook_within_seconds(sandbox: SandboxClient, tmp_path: Path) -> None:
    namespace = "tui-cancel"
    sandbox.kubectl("create", "namespace", namespace)
    events: list[Any] = []
    try:
        run = bridge(sandbox, tmp_path, namespace, sleep=True).launch(
            RunRequest(PLAYBOOK), events.append
        )
        deadline = time.monotonic() + 90
        while not any(
            e.get("event_data", {}).get("task") == "Wait long enough to be canceled" for e in events
        ):
            assert time.monotonic() < deadline, "the sleep task never started"
            time.sleep(0.1)
        canceled_at = time.monotonic()
        run.cancel()
        assert run.wait(30) == "canceled"
        assert time.monotonic() - canceled_at < 5
        # Nothing of the run outlives it (a process the cancel missed would run on).
        gone_by = time.monotonic() + 10
        while (left := processes_naming(tmp_path)) and time.monotonic() < gone_by:
            time.sleep(0.25)
        assert left == []
    finally:
        sandbox.kubectl("delete", "namespace", namespace, "--wait=false")


def test_artifacts_rotate_and_replay(sandbox: SandboxClient, tmp_path: Path) -> None:
    namespace = "tui-rotate"
    sandbox.kubectl("create", "namespace", namespace)
    try:
        runner = bridge(sandbox, tmp_path, namespace, sleep=False, keep=2)
        for _ in range(3):
            assert runner.launch(RunRequest(PLAYBOOK), lambda event: None).wait(120) == "successful"
        runs = artifacts.list_runs(tmp_path / "state" / "runs")
        assert len(runs) == 2
        assert runs[0].status == "successful" and runs[0].playbook == PLAYBOOK
        replayed = RunModel()
        for event in artifacts.read_events(runs[0].events_dir):
            replayed.ingest(event)
        assert replayed.status is RunStatus.SUCCESSFUL and len(replayed.tasks) == 3
    finally:
        sandbox.kubectl("delete", "namespace", namespace, "--wait=false")
