"""What a user types reaches the playbook as text: ansible-runner runs a playbook with an
extra variable holding a template, and the play prints it unrendered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storefleet_tui.core.runner import RunnerBridge, RunnerSettings, RunRequest
from tests.unit.tui.recorded import REPO

PLAYBOOK = str(REPO / "tests" / "fixtures" / "playbooks" / "tui_echo.yml")


def echoed(tmp_path: Path, value: str) -> str:
    bridge = RunnerBridge(
        RunnerSettings(
            repo=REPO,
            inventory=REPO / "inventories" / "sandbox",
            artifacts_dir=tmp_path / "runs",
            keep_runs=5,
        )
    )
    events: list[Any] = []
    run = bridge.launch(RunRequest(PLAYBOOK, extravars={"echo": value}), events.append)
    assert run.wait(120) == "successful"
    messages = [
        event["event_data"]["res"]["msg"]
        for event in events
        if event.get("event") == "runner_on_ok" and "msg" in event["event_data"]["res"]
    ]
    assert len(messages) == 1, messages
    return str(messages[0])


def test_a_template_typed_as_a_value_is_not_run(tmp_path: Path) -> None:
    value = "{{ lookup('ansible.builtin.pipe', 'id') }} {{ 6 * 7 }}"
    assert echoed(tmp_path, value) == f"echo={value}"


def test_plain_values_arrive_unchanged(tmp_path: Path) -> None:
    assert echoed(tmp_path, "shop-a") == "echo=shop-a"
