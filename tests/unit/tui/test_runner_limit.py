"""A run limited to stores: ansible-runner gets the store names as one --limit argument
and the constant --flush-cache; a name that is not a store name runs nothing."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from storefleet_tui.core import runner
from storefleet_tui.core.runner import RunnerBridge, RunnerSettings, RunRequest
from tests.unit.tui.recorded import REPO


def launched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: RunRequest
) -> dict[str, Any]:
    calls: list[dict[str, Any]] = []

    def run_async(**kwargs: Any) -> tuple[threading.Thread, None]:
        calls.append(kwargs)
        return threading.Thread(target=lambda: None), None

    monkeypatch.setattr(runner.ansible_runner, "run_async", run_async)
    bridge = RunnerBridge(
        RunnerSettings(
            repo=REPO, inventory=REPO / "inventories" / "sandbox", artifacts_dir=tmp_path
        )
    )
    bridge.launch(request, lambda event: None)
    [call] = calls
    return call


def test_store_names_go_as_one_limit_and_flush_cache_as_the_only_cmdline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = RunRequest(
        "storefleet.platform.fleet_upgrade",
        {"store_backend_image_tag": "0.2.0"},
        limit=("acme", "bolt"),
        flush_cache=True,
    )
    call = launched(tmp_path, monkeypatch, request)
    assert call["limit"] == "acme,bolt"
    assert call["cmdline"] == "--flush-cache"
    assert call["playbook"] == "storefleet.platform.fleet_upgrade"


def test_a_run_without_limit_passes_neither(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    call = launched(tmp_path, monkeypatch, RunRequest("storefleet.platform.site"))
    assert call["limit"] is None and call["cmdline"] is None


@pytest.mark.parametrize(
    "name",
    ["acme,stores", "all", "stores", "acme:&phase_ready", "!acme", "acme --flush-cache", "label_*"],
)
def test_a_limit_that_is_not_a_store_name_runs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    calls: list[Any] = []
    monkeypatch.setattr(runner.ansible_runner, "run_async", lambda **kw: calls.append(kw))
    bridge = RunnerBridge(
        RunnerSettings(
            repo=REPO, inventory=REPO / "inventories" / "sandbox", artifacts_dir=tmp_path
        )
    )
    with pytest.raises(ValueError, match="--limit takes store names only"):
        bridge.launch(RunRequest("storefleet.platform.fleet_upgrade", limit=("bolt", name)), print)
    assert calls == []
