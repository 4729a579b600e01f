"""The waves of a fleet upgrade from a recorded run: tests/unit/tui/data/fleet_upgrade_run.jsonl
(tests/fixtures/events/record.py fleet_upgrade_run): four stores in waves [1, 50%, 100%],
bravo failing its smoke check and rolled back, the run stopping before the third wave."""

from __future__ import annotations

import gzip
import json
from typing import Any

from storefleet_tui.core import artifacts
from storefleet_tui.core.fleet_waves import FleetProgress, StoreStep
from tests.unit.tui.recorded import DATA

STORES = ("alpha", "bravo", "charlie", "delta")


def recorded() -> list[dict[str, Any]]:
    return list(artifacts.read_jsonl(DATA / "fleet_upgrade_run.jsonl"))


def fed(events: list[dict[str, Any]]) -> FleetProgress:
    fleet = FleetProgress(STORES)
    for event in events:
        fleet.ingest(event)
    return fleet


def steps(fleet: FleetProgress) -> dict[str, StoreStep]:
    return {name: store.step for name, store in fleet.stores.items()}


def test_the_waves_are_the_batches_ansible_ran() -> None:
    fleet = fed(recorded())
    assert fleet.waves == [["alpha"], ["bravo", "charlie"]]
    assert fleet.waiting() == ["delta"]


def test_bravo_fails_its_gate_is_rolled_back_and_delta_never_runs() -> None:
    fleet = fed(recorded())
    assert fleet.finished
    assert steps(fleet) == {
        "alpha": StoreStep.PASSED,
        "bravo": StoreStep.FAILED,
        "charlie": StoreStep.PASSED,
        "delta": StoreStep.NOT_RUN,
    }
    [bravo] = fleet.failed()
    assert bravo.rolled_back and bravo.gate == "smoke-check" and bravo.wave == 2
    assert bravo.message.startswith("Store bravo failed gate 'smoke-check': ")
    assert bravo.message.endswith("It was rolled back to revision 3 and is Ready.")
    assert not fleet.stores["charlie"].rolled_back


def test_stores_move_through_upgrade_gate_and_rollback_as_events_come() -> None:
    events = recorded()
    seen: dict[str, list[StoreStep]] = {name: [] for name in STORES}
    fleet = FleetProgress(STORES)
    for event in events:
        if fleet.ingest(event):
            for name, step in steps(fleet).items():
                if not seen[name] or seen[name][-1] is not step:
                    seen[name].append(step)
    assert seen["alpha"] == [
        StoreStep.WAITING,
        StoreStep.UPGRADING,
        StoreStep.GATE,
        StoreStep.PASSED,
    ]
    assert seen["bravo"] == [
        StoreStep.WAITING,
        StoreStep.UPGRADING,
        StoreStep.GATE,
        StoreStep.ROLLING_BACK,
        StoreStep.FAILED,
    ]
    assert seen["delta"] == [StoreStep.WAITING, StoreStep.NOT_RUN]


def test_a_run_cut_before_its_stats_leaves_the_second_wave_in_its_gate() -> None:
    events = recorded()
    cut = next(i for i, e in enumerate(events) if e["event"] == "runner_on_failed")
    fleet = fed(events[:cut])
    assert not fleet.finished
    assert steps(fleet)["bravo"] is StoreStep.GATE and steps(fleet)["delta"] is StoreStep.WAITING
    fleet.finish()
    assert steps(fleet)["delta"] is StoreStep.NOT_RUN


def test_a_store_not_named_in_the_limit_is_listed_when_its_wave_starts() -> None:
    fleet = FleetProgress()
    for event in recorded():
        fleet.ingest(event)
    assert list(fleet.stores) == ["alpha", "bravo", "charlie"]


def test_a_run_of_the_real_playbook_on_the_sandbox() -> None:
    """fleet_upgrade itself over three stores of the sandbox's simulated nodes
    (tests/integration/test_fleet_operations.py, the failing-gate run): waves [2, 100%],
    flt-b's bootstrap Job fails, so it is rolled back and the run stops before flt-c."""
    with gzip.open(DATA / "fleet_upgrade_sandbox.jsonl.gz", "rt") as stream:
        events = [json.loads(line) for line in stream]
    fleet = FleetProgress(("flt-a", "flt-b", "flt-c"))
    for event in events:
        fleet.ingest(event)
    assert fleet.finished
    assert fleet.waves == [["flt-a", "flt-b"]]
    assert steps(fleet) == {
        "flt-a": StoreStep.PASSED,
        "flt-b": StoreStep.FAILED,
        "flt-c": StoreStep.NOT_RUN,
    }
    failed = fleet.stores["flt-b"]
    assert failed.rolled_back and failed.gate == "upgrade"
    assert failed.message.startswith("Store flt-b failed gate 'upgrade': ")
    assert failed.message.endswith("It was rolled back to revision 2 and is Ready.")
