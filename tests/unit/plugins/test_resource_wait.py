"""The waits of the store role: their conditions, and the list-then-watch loop."""

from __future__ import annotations

from typing import Any

import pytest
from ansible_collections.storefleet.platform.plugins.module_utils.resource_wait import (
    CONDITIONS,
    WaitTimeout,
    has_data_key,
    pods_not_ready,
    wait_until,
)


def job(name: str, *conditions: str, deleting: bool = False) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name}
    if deleting:
        metadata["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    return {
        "metadata": metadata,
        "status": {"conditions": [{"type": c, "status": "True"} for c in conditions]},
    }


def deployment(wanted: int, **status: int) -> dict[str, Any]:
    return {
        "metadata": {"name": "d", "generation": 2},
        "spec": {"replicas": wanted},
        "status": {"observedGeneration": 2, **status},
    }


def test_jobs_finished_needs_a_live_job_and_every_live_job_done() -> None:
    finished = CONDITIONS["jobs_finished"]
    assert not finished([])
    assert not finished([job("old", "Complete", deleting=True)])
    assert not finished([job("a", "Complete"), job("b")])
    assert finished([job("a", "Complete"), job("b", "Failed")])
    # The previous revision's Job still being deleted does not count.
    assert finished([job("new", "Complete"), job("old", deleting=True)])


def test_rolled_out_needs_every_replica_updated_available_and_no_old_one() -> None:
    rolled_out = CONDITIONS["rolled_out"]
    assert not rolled_out([])
    assert rolled_out([deployment(2, updatedReplicas=2, availableReplicas=2, replicas=2)])
    assert not rolled_out([deployment(2, updatedReplicas=2, availableReplicas=2, replicas=3)])
    assert not rolled_out([deployment(2, updatedReplicas=1, availableReplicas=2, replicas=2)])
    stale = deployment(1, updatedReplicas=1, availableReplicas=1, replicas=1)
    stale["status"]["observedGeneration"] = 1
    assert not rolled_out([stale])


def test_ready_statefulsets_are_on_their_current_revision() -> None:
    ready = CONDITIONS["ready"]
    statefulset = {
        "metadata": {"generation": 1},
        "spec": {"replicas": 1},
        "status": {"observedGeneration": 1, "readyReplicas": 1,
                   "updateRevision": "r2", "currentRevision": "r1"},
    }  # fmt: skip
    assert not ready([statefulset])
    statefulset["status"]["currentRevision"] = "r2"
    assert ready([statefulset])


def pod(name: str, ready: bool, owner: str = "ReplicaSet", deleting: bool = False) -> dict:
    metadata: dict[str, Any] = {"name": name, "ownerReferences": [{"kind": owner, "name": "o"}]}
    if deleting:
        metadata["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    status = "True" if ready else "False"
    return {"metadata": metadata, "status": {"conditions": [{"type": "Ready", "status": status}]}}


def test_pods_ready_needs_every_serving_pod_ready() -> None:
    ready = CONDITIONS["pods_ready"]
    assert not ready([])
    assert ready([pod("web", True), pod("db", True, owner="StatefulSet")])
    assert not ready([pod("web", True), pod("worker", False)])
    # A finished Job's pod is not Ready, and does not count; nor does a pod on its way out.
    assert ready([pod("web", True), pod("bootstrap", False, owner="Job")])
    assert ready([pod("web", True), pod("old-web", False, deleting=True)])
    # Job pods alone are not a serving store.
    assert not ready([pod("bootstrap", False, owner="Job")])


def test_pods_not_ready_names_what_the_gate_waits_for() -> None:
    pods = [pod("web", True), pod("worker", False), pod("bootstrap", False, owner="Job")]
    assert [p["metadata"]["name"] for p in pods_not_ready(pods)] == ["worker"]


def test_a_secret_is_present_once_its_key_holds_a_value() -> None:
    condition = has_data_key("publishable-key")
    assert not condition([])
    assert not condition([{"data": {"publishable-key": ""}}])
    assert condition([{"data": {"publishable-key": "cGtfMQ=="}}])


class FakeApi:
    """Lists that answer in turn; a watch that records each wait."""

    def __init__(self, answers: list[Any]) -> None:
        self.answers = answers
        self.watched: list[tuple[str, int]] = []

    def list_objects(self) -> tuple[list[dict[str, Any]], str]:
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer, str(len(self.answers))

    def watch_changes(self, version: str, seconds: int) -> None:
        self.watched.append((version, seconds))


def test_the_wait_watches_between_lists_until_the_condition_holds() -> None:
    api = FakeApi([[job("a")], [job("a")], [job("a", "Complete")]])
    objects = wait_until(CONDITIONS["jobs_finished"], api.list_objects, api.watch_changes, 600)
    assert objects == [job("a", "Complete")]
    # Each watch starts from the version of the list before it.
    assert [version for version, _ in api.watched] == ["2", "1"]


def test_an_api_outage_is_waited_out_until_the_deadline() -> None:
    pauses: list[float] = []
    api = FakeApi([ConnectionError("refused"), ConnectionError("refused"), [job("a", "Failed")]])
    objects = wait_until(
        CONDITIONS["jobs_finished"], api.list_objects, api.watch_changes, 600, pause=pauses.append
    )
    assert objects[0]["metadata"]["name"] == "a"
    assert pauses == [1.0, 1.0]


def test_an_error_that_waiting_cannot_cure_is_raised_at_once() -> None:
    api = FakeApi([PermissionError("forbidden"), [job("a", "Complete")]])
    with pytest.raises(PermissionError):
        wait_until(
            CONDITIONS["jobs_finished"],
            api.list_objects,
            api.watch_changes,
            600,
            transient=lambda error: not isinstance(error, PermissionError),
        )


def test_the_deadline_raises_with_the_last_objects() -> None:
    now = [0.0]

    def clock() -> float:
        return now[0]

    def watch_changes(version: str, seconds: int) -> None:
        now[0] += seconds

    api = FakeApi([[job("a")]] * 10)
    with pytest.raises(WaitTimeout) as raised:
        wait_until(CONDITIONS["jobs_finished"], api.list_objects, watch_changes, 90, clock=clock)
    assert raised.value.objects == [job("a")]
    assert now[0] >= 90


def test_every_condition_has_its_timeout_wording() -> None:
    from ansible_collections.storefleet.platform.plugins.modules import resource_wait

    assert set(resource_wait.STATES) == set(CONDITIONS)
