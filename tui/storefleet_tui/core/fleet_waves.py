"""A fleet upgrade as waves of stores, each store's gate and rollback, from runner events.

playbooks/fleet_upgrade.yml runs its last play with `serial`: Ansible plays each wave
as a batch of the same play, and the batch starts with the task that includes the
store role's gated_change.yml. So a wave is the stores that start that task after one
of its task starts. The role's own task names and files tell where a store stands.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from storefleet_tui.core.events import Event, result_message

# playbooks/fleet_upgrade.yml and roles/store/tasks/gated_change.yml, helpers/.
WAVE_TASK = "Upgrade the store behind its health gate"
UPGRADE_TASK = "Install or upgrade the store release"
GATE_TASK = "Check the store's health"
GATE_FILES = ("/health_gate.yml:", "/smoke_check.yml:")
GATE_STEP_PREFIX = "Enter gate "
RESCUE_TASK = "Remember the failed gate"
ROLLBACK_TASK = "Roll the release back"
VERDICT_TASK = "Stop after the store's failure"


class StoreStep(StrEnum):
    WAITING = "waiting"
    UPGRADING = "upgrading"
    GATE = "gate"
    ROLLING_BACK = "rolling back"
    PASSED = "passed"
    FAILED = "failed"
    NOT_RUN = "not run"
    """The run ended before the store's wave (a wave failed, or it was canceled)."""


@dataclass
class StoreProgress:
    name: str
    step: StoreStep = StoreStep.WAITING
    wave: int = 0
    gate: str = ""
    """The gate step the store is in or failed: upgrade, pods, smoke-check."""
    rolled_back: bool = False
    message: str = ""
    """The playbook's failure message for this store, as it gives it."""


class FleetProgress:
    """The stores of one fleet upgrade; `ingest` takes every event of the run."""

    def __init__(self, stores: Iterable[str] = ()) -> None:
        self.stores: dict[str, StoreProgress] = {name: StoreProgress(name) for name in stores}
        self.waves: list[list[str]] = []
        self.finished = False
        self._wave_task = ""

    def ingest(self, event: Event) -> bool:
        """Fold one event in; True when a store or a wave changed."""
        kind = event.get("event")
        data: Mapping[str, Any] = event.get("event_data") or {}
        task = str(data.get("task", ""))
        if kind == "playbook_on_task_start" and task == WAVE_TASK:
            self.waves.append([])
            self._wave_task = str(data.get("task_uuid", ""))
            return True
        if kind == "playbook_on_stats":
            return self._end(data)
        host = data.get("host")
        if not host or not self._wave_task:
            return False
        if kind == "runner_on_start" and task == WAVE_TASK and self.waves:
            joining = self._store(str(host))
            self.waves[-1].append(joining.name)
            joining.wave = len(self.waves)
            joining.step = StoreStep.UPGRADING
            joining.gate = "upgrade"
            return True
        store = self.stores.get(str(host))
        if store is None or store.wave == 0:
            return False
        return self._store_event(store, str(kind), task, data)

    def _store_event(
        self, store: StoreProgress, kind: str, task: str, data: Mapping[str, Any]
    ) -> bool:
        if kind == "runner_on_start":
            if task.startswith(GATE_STEP_PREFIX):
                store.gate = task.removeprefix(GATE_STEP_PREFIX)
            if store.step is StoreStep.UPGRADING and (
                task == GATE_TASK or any(f in str(data.get("task_path", "")) for f in GATE_FILES)
            ):
                store.step = StoreStep.GATE
                return True
            if task == RESCUE_TASK:
                store.step = StoreStep.ROLLING_BACK
                return True
            return False
        if task == ROLLBACK_TASK and kind == "runner_on_ok":
            store.rolled_back = True
            return True
        if task == VERDICT_TASK and kind == "runner_on_skipped":
            store.step = StoreStep.PASSED
            return True
        if task == VERDICT_TASK and kind == "runner_on_failed":
            store.step = StoreStep.FAILED
            store.message = result_message(data.get("res") or {})
            return True
        return False

    def _end(self, data: Mapping[str, Any]) -> bool:
        """The run ended: a store that failed elsewhere failed; one never reached, not run."""
        self.finished = True
        failed = {**(data.get("failures") or {}), **(data.get("dark") or {})}
        for store in self.stores.values():
            if store.wave == 0:
                store.step = StoreStep.NOT_RUN
            elif failed.get(store.name):
                store.step = StoreStep.FAILED
            elif store.step is not StoreStep.FAILED:
                store.step = StoreStep.PASSED
        return True

    def finish(self) -> None:
        """The run stopped (canceled, or no stats came): unreached stores did not run."""
        self.finished = True
        for store in self.stores.values():
            if store.wave == 0:
                store.step = StoreStep.NOT_RUN

    def _store(self, name: str) -> StoreProgress:
        # A store the run was not told about (a group in --limit): listed as it comes.
        return self.stores.setdefault(name, StoreProgress(name))

    def waiting(self) -> list[str]:
        return [s.name for s in self.stores.values() if s.wave == 0]

    def failed(self) -> list[StoreProgress]:
        return [s for s in self.stores.values() if s.step is StoreStep.FAILED]
