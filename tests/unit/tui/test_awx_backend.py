"""The AWX backend against the AWX test server: launches with survey answers, follows
job events into the runner's event model, cancels, lists past jobs, and says AWX's
refusals in plain words. Every request it makes is checked against swagger.json."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from storefleet_tui.core.awx import survey
from storefleet_tui.core.awx.backend import JOB_TEMPLATES, AwxBackend, AwxPastRun
from storefleet_tui.core.awx.client import (
    AwxClient,
    AwxError,
    AwxForbidden,
    AwxNotFound,
    AwxRefused,
    AwxUnauthorized,
)
from storefleet_tui.core.awx.events import runner_event
from storefleet_tui.core.backend import PLAYBOOKS
from storefleet_tui.core.events import RunModel
from storefleet_tui.core.runner import RunRequest
from storefleet_tui.core.settings import load
from tests.awx_server import AwxTestServer, recorded
from tests.awx_server.configured import OPERATOR, configure_templates
from tests.awx_server.data import INVENTORIES, inventory_data
from tests.unit.tui.recorded import REPO, RecordedBackend, events

CREATE = RunRequest(
    PLAYBOOKS["create"],
    {
        "store_name": "acme",
        "store_plan": "medium",
        "store_seed_demo_data": False,
        "store_orchestrator": "direct",
    },
    title="create acme",
)


def backend(awx: AwxTestServer, token: str = OPERATOR, repo: Path | None = None) -> AwxBackend:
    settings = load(
        Path("/nonexistent"),
        environ={},
        **({"repo": repo} if repo else {}),
        awx_url=awx.url,
        awx_token=token,
        awx_poll_seconds=0.01,
    )
    return AwxBackend(settings, client=AwxClient(awx.url, token), cluster=RecordedBackend())


def shape(model: RunModel) -> Any:
    """What the run screen shows of a model: plays, tasks, hosts, outcomes, counts."""
    return (
        [
            (
                play.name,
                [
                    (
                        task.name,
                        task.action,
                        {h: (r.outcome, r.changed) for h, r in task.hosts.items()},
                    )
                    for task in play.tasks.values()
                ],
            )
            for play in model.plays.values()
        ],
        model.counts,
        model.stats,
        model.status,
    )


def model_of(stream: list[Mapping[str, Any]], status: str) -> RunModel:
    model = RunModel()
    for event in stream:
        model.ingest(event)
    model.finish(status)
    return model


def test_recorded_job_events_build_the_runner_paths_tree_and_counts() -> None:
    """The AWX job and the local run of the same playbook with the same answers."""
    job_events = sorted(recorded.get("jobs_2_job_events")["results"], key=lambda e: e["counter"])
    from_awx = model_of([runner_event(e, 2) for e in job_events], "successful")
    from_runner = model_of(events("awx_probe_run.jsonl"), "successful")
    assert shape(from_awx) == shape(from_runner)
    assert from_awx.counts.ok == 1
    assert [t.name for t in from_awx.tasks.values()] == ["ansible.builtin.debug"]


def test_create_launches_the_template_with_survey_answers_and_follows_its_events(
    awx: AwxTestServer,
) -> None:
    seen: list[Mapping[str, Any]] = []
    handle = backend(awx).launch(CREATE, seen.append)
    assert handle.wait(10) == "successful"
    job = awx.state.jobs[int(handle.ident.split()[-1])].record
    assert job["name"] == "store-create"
    assert json.loads(job["extra_vars"]) == {
        "store_name": "acme",
        "store_plan": "medium",
        "store_seed_demo_data": "false",
        "store_backend_image_tag": "",
        "store_storefront_image_tag": "",
    }
    recorded_events = recorded.get("jobs_2_job_events")["results"]
    assert [e["counter"] for e in seen] == sorted(e["counter"] for e in recorded_events)
    assert shape(model_of(seen, "successful")) == shape(
        model_of(events("awx_probe_run.jsonl"), "successful")
    )
    # Followed a few events at a time, each read asking only for what is new.
    reads = [r.query for r in awx.requests if r.path.endswith("/job_events/")]
    assert [r["counter__gt"] for r in reads][:3] == ["0", "4", "8"]
    assert all(r["order_by"] == "counter" for r in reads)


def test_delete_answers_the_name_twice(awx: AwxTestServer) -> None:
    request = RunRequest(PLAYBOOKS["delete"], {"store_name": "acme"})
    handle = backend(awx).launch(request, lambda event: None)
    handle.wait(10)
    job = awx.state.jobs[int(handle.ident.split()[-1])].record
    assert json.loads(job["extra_vars"]) == {
        "store_name": "acme",
        "store_name_confirmation": "acme",
    }


def test_rollback_revision_is_an_integer_answer(awx: AwxTestServer) -> None:
    request = RunRequest(
        PLAYBOOKS["rollback"], {"store_name": "acme", "store_rollback_revision": 3}
    )
    handle = backend(awx).launch(request, lambda event: None)
    assert handle.wait(10) == "successful"


def test_missing_answer_is_refused_with_awxs_words(awx: AwxTestServer) -> None:
    with pytest.raises(AwxRefused) as refused:
        backend(awx).launch(
            RunRequest(PLAYBOOKS["create"], {"store_plan": "small"}), lambda e: None
        )
    assert str(refused.value) == "AWX refused to launch store-create: 'store_name' value missing"
    too_long = RunRequest(PLAYBOOKS["create"], {"store_name": "a" * 36})
    with pytest.raises(AwxRefused) as refused:
        backend(awx).launch(too_long, lambda e: None)
    assert "is too large (must be no more than 35)" in str(refused.value)
    assert not [r for r in awx.requests if r.path.endswith("/job_events/")]


def test_wrong_token_is_named_and_not_shown(awx: AwxTestServer) -> None:
    with pytest.raises(AwxUnauthorized) as refused:
        backend(awx, token="wr0ng-t0ken-9d1e").launch(CREATE, lambda e: None)
    message = str(refused.value)
    assert "did not accept the token (401)" in message and "STOREFLEET_AWX_TOKEN" in message
    assert "wr0ng-t0ken-9d1e" not in message
    assert "wr0ng-t0ken-9d1e" not in repr(backend(awx, token="wr0ng-t0ken-9d1e").client)


def test_user_without_the_right_is_told_so(awx: AwxTestServer) -> None:
    with pytest.raises(AwxForbidden) as refused:
        backend(awx, token="viewer-token").launch(CREATE, lambda e: None)
    assert "AWX refused (403)" in str(refused.value)
    assert "store-operators" in str(refused.value)


def test_playbook_without_a_template_is_refused_before_asking_awx(awx: AwxTestServer) -> None:
    with pytest.raises(AwxError, match="has no job template in AWX"):
        backend(awx).launch(RunRequest(PLAYBOOKS["teardown"]), lambda e: None)
    assert awx.requests == []


def test_a_limit_goes_only_to_a_template_that_asks_for_one(awx: AwxTestServer) -> None:
    fleet = RunRequest(
        PLAYBOOKS["fleet_upgrade"],
        {
            "store_backend_image_tag": "0.2.0",
            "fleet_waves": [1, "100%"],
            "fleet_max_fail_percentage": 0,
        },
        limit=("acme", "crumb"),
    )
    handle = backend(awx, repo=REPO).launch(fleet, lambda event: None)
    assert handle.wait(10) == "successful"
    job = awx.state.jobs[int(handle.ident.split()[-1])].record
    assert (job["name"], job["limit"]) == ("fleet-upgrade", "acme,crumb")
    assert json.loads(job["extra_vars"])["fleet_waves"] == "1,100%"
    # A template that does not ask for a limit would ignore it and run on every store.
    template = awx.state.find("job_templates", "fleet-upgrade")
    assert template
    awx.state.update("job_templates", template["id"], {"ask_limit_on_launch": False})
    launches = len(awx.state.jobs)
    with pytest.raises(AwxError, match="does not ask for a limit on launch"):
        backend(awx, repo=REPO).launch(fleet, lambda event: None)
    assert len(awx.state.jobs) == launches
    # Each name of the limit is a store name: nothing else reaches --limit.
    awx.state.update("job_templates", template["id"], {"ask_limit_on_launch": True})
    with pytest.raises(AwxError, match="--limit takes store names only"):
        backend(awx, repo=REPO).launch(replace(fleet, limit=("acme", "all")), lambda e: None)
    assert len(awx.state.jobs) == launches


def test_unconfigured_awx_says_how_to_configure_it() -> None:
    with AwxTestServer(seed="fresh") as server, pytest.raises(AwxNotFound, match="awx_configure"):
        backend(server).launch(CREATE, lambda e: None)


def test_cancel_stops_the_job_through_its_cancel_endpoint() -> None:
    with AwxTestServer(seed="recorded", events_per_read=1) as server:
        configure_templates(server)
        seen: list[Mapping[str, Any]] = []
        two_events = threading.Event()

        def sink(event: Mapping[str, Any]) -> None:
            seen.append(event)
            if len(seen) == 2:
                two_events.set()

        slow = backend(server)
        slow.settings = replace(slow.settings, awx_poll_seconds=0.3)
        handle = slow.launch(CREATE, sink)
        assert two_events.wait(10)
        handle.cancel()
        assert handle.wait(10) == "canceled"
        assert 2 <= len(seen) < len(recorded.get("jobs_2_job_events")["results"])
        cancels = [r for r in server.requests if r.path.endswith("/cancel/")]
        assert [(r.method, r.user) for r in cancels] == [("POST", "operator")]
        assert server.violations == []


def test_past_jobs_are_listed_and_followed(awx: AwxTestServer) -> None:
    awx_backend = backend(awx)
    runs = awx_backend.past_runs()
    assert [(r.ident, r.playbook, r.status) for r in runs] == [
        ("awx job 2", "store-create", "successful")
    ]
    assert isinstance(runs[0], AwxPastRun)
    seen: list[Mapping[str, Any]] = []
    assert awx_backend.replay(runs[0], seen.append).wait(10) == "successful"
    assert len(seen) == len(recorded.get("jobs_2_job_events")["results"])


def test_form_values_become_answers_of_the_questions_type() -> None:
    spec = {
        "spec": [
            {
                "variable": "store_seed_demo_data",
                "type": "multiplechoice",
                "choices": ["true", "false"],
            },
            {"variable": "store_rollback_revision", "type": "integer"},
            {"variable": "store_name", "type": "text"},
        ]
    }
    values = {
        "store_seed_demo_data": True,
        "store_rollback_revision": "2",
        "store_name": "acme",
        "other": 1,
    }
    assert survey.answers(spec, values) == (
        {"store_seed_demo_data": "true", "store_rollback_revision": 2, "store_name": "acme"},
        ["other"],
    )


@pytest.mark.parametrize("inventory", INVENTORIES)
def test_the_tuis_templates_are_the_ones_the_inventory_configures(inventory: str) -> None:
    names = {t["name"] for t in inventory_data(inventory)["controller_templates"]}
    assert set(JOB_TEMPLATES.values()) <= names
