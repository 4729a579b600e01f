"""The event model on recorded runner event streams."""

from __future__ import annotations

import random

from storefleet_tui.core.events import Outcome, RunModel, RunStatus
from tests.unit.tui.recorded import events


def model_of(name: str, shuffle: bool = False) -> RunModel:
    stream = events(name)
    if shuffle:
        random.Random(7).shuffle(stream)  # noqa: S311 - a fixed order, not a secret
    model = RunModel()
    for event in stream:
        model.ingest(event)
    return model


def test_successful_run_builds_plays_tasks_hosts() -> None:
    model = model_of("successful_run.jsonl")
    assert model.status is RunStatus.SUCCESSFUL
    assert [p.name for p in model.plays.values()] == ["Inspect the cluster", "Provision the store"]
    tasks = {t.name: t for t in model.tasks.values()}
    loop = tasks["Write one file per store phase"].hosts["localhost"]
    assert [i.label for i in loop.items] == ["validate", "namespace", "release"]
    assert loop.outcome is Outcome.CHANGED
    retried = tasks["Wait until the third attempt succeeds"].hosts["localhost"]
    assert retried.retries == 2 and retried.outcome is Outcome.OK
    assert tasks["Skip a phase that does not apply"].outcome is Outcome.SKIPPED
    assert tasks["Try a step whose failure is tolerated"].outcome is Outcome.IGNORED
    assert model.counts.retries == 2 and model.counts.failed == 0
    assert all(t.duration is not None for t in model.tasks.values())
    assert model.failures() == []


def test_failed_run_names_the_failing_task_and_message() -> None:
    model = model_of("failed_run.jsonl")
    assert model.status is RunStatus.FAILED
    [failure] = model.failures()
    assert failure.task == "Fail when the database migration breaks"
    assert failure.play == "Provision the store"
    assert failure.message == 'database migration failed: relation "product" already exists'
    assert model.stats["localhost"]["failures"] == 1


def test_out_of_order_events_give_the_same_tree() -> None:
    ordered, shuffled = model_of("failed_run.jsonl"), model_of("failed_run.jsonl", shuffle=True)
    assert {t.name for t in shuffled.tasks.values()} == {t.name for t in ordered.tasks.values()}
    assert shuffled.failures()[0].task == ordered.failures()[0].task


def test_runner_status_wins_over_stats() -> None:
    model = model_of("successful_run.jsonl")
    model.finish("canceled")
    assert model.status is RunStatus.CANCELED


def test_failures_follow_the_events_that_come_after_they_were_read() -> None:
    stream = events("failed_run.jsonl")
    model = RunModel()
    read_after = []
    for event in stream:
        model.ingest(event)
        read_after.append(list(model.failures()))
    assert read_after[0] == []
    assert read_after[-1] == model_of("failed_run.jsonl").failures() != []
    assert model.failures() is model.failures(), "read again, not looked for again"
