"""How phase reports map onto a Store's status."""

from __future__ import annotations

import re

import pytest
from ansible_collections.storefleet.platform.plugins.module_utils.store_status import (
    MESSAGE_MAX_LENGTH,
    StatusError,
    bounded_message,
    next_status,
)

T0, T1, T2 = "2025-01-01T10:00:00Z", "2025-01-01T10:05:00Z", "2025-01-01T10:09:00Z"


def store(status: dict | None = None, generation: int = 1) -> dict:
    return {"metadata": {"name": "demo", "generation": generation}, "status": status or {}}


def ready(status: dict) -> dict:
    return next(c for c in status["conditions"] if c["type"] == "Ready")


def test_provisioning_sets_namespace_start_and_unknown_readiness() -> None:
    status = next_status(store(), phase="Provisioning", message="Installing", now=T0)
    assert status["namespace"] == "store-demo"
    assert status["startedAt"] == T0
    assert status["observedGeneration"] == 1
    assert ready(status) == {
        "type": "Ready",
        "status": "Unknown",
        "reason": "Provisioning",
        "message": "Installing",
        "observedGeneration": 1,
        "lastTransitionTime": T0,
    }


def test_same_report_twice_changes_nothing() -> None:
    first = next_status(store(), phase="Provisioning", message="Installing", now=T0)
    again = next_status(store(first), phase="Provisioning", message="Installing", now=T1)
    assert again == first


def test_ready_keeps_start_sets_ready_at_and_flips_the_condition() -> None:
    provisioning = next_status(store(), phase="Provisioning", now=T0)
    urls = {
        "storefront": "http://demo.x",
        "api": "http://api.demo.x",
        "admin": "http://api.demo.x/app",
    }
    status = next_status(store(provisioning), phase="Ready", urls=urls, helm_revision=2, now=T1)
    assert status["startedAt"] == T0
    assert status["readyAt"] == T1
    assert status["urls"] == urls
    assert status["helmRevision"] == 2
    assert ready(status)["status"] == "True"
    assert ready(status)["lastTransitionTime"] == T1
    # Ready again later: nothing moves.
    assert next_status(store(status), phase="Ready", now=T2) == status


def test_message_only_update_keeps_the_phase_and_transition_time() -> None:
    failed = next_status(store(), phase="Failed", message="bootstrap Job failed", now=T0)
    status = next_status(store(failed), message="bootstrap Job failed 3 times", now=T1)
    assert status["phase"] == "Failed"
    assert ready(status)["lastTransitionTime"] == T0
    assert ready(status)["message"] == "bootstrap Job failed 3 times"


def test_new_provisioning_run_restarts_the_clock() -> None:
    done = next_status(
        store(next_status(store(), phase="Provisioning", now=T0)), phase="Ready", now=T1
    )
    rerun = next_status(store(done, generation=2), phase="Provisioning", now=T2)
    assert rerun["startedAt"] == T2
    assert "readyAt" not in rerun
    assert rerun["observedGeneration"] == 2


def test_other_conditions_are_kept() -> None:
    other = {
        "type": "QuotaApplied",
        "status": "True",
        "reason": "Applied",
        "message": "",
        "lastTransitionTime": T0,
    }
    status = next_status(store({"conditions": [other]}), phase="Pending", now=T1)
    assert other in status["conditions"]


@pytest.mark.parametrize(
    ("report", "message"),
    [
        ({"phase": "Done"}, "phase 'Done' is not one of"),
        ({"urls": {"shop": "http://x"}}, "unknown keys shop"),
        ({"helm_revision": 0}, "helm_revision"),
    ],
)
def test_reports_the_schema_would_refuse_are_refused(report: dict, message: str) -> None:
    with pytest.raises(StatusError, match=message):
        next_status(store(), now=T0, **report)


@pytest.mark.parametrize("length", [4096, 4097, 5000, 100_000])
def test_a_message_over_the_crd_limit_is_cut_not_refused(length: int) -> None:
    message = "step release failed: " + "x" * (length - 30) + " last error"
    message = message[:length] if len(message) > length else message.ljust(length, "y")
    status = next_status(store(), phase="Failed", message=message, now=T0)
    kept = status["message"]
    assert len(kept) <= MESSAGE_MAX_LENGTH == 4096
    assert kept.startswith("step release failed: ")
    if length > MESSAGE_MAX_LENGTH:
        cut = int(re.search(r"\[\.\.\. (\d+) characters cut \.\.\.\]", kept)[1])
        marker = re.search(r" \[\.\.\. \d+ characters cut \.\.\.\] ", kept)[0]
        # What is left plus what was cut is the whole message; its end is kept too.
        assert len(kept) - len(marker) + cut == length
        assert kept.endswith(message[-20:])
    else:
        assert kept == message
    assert ready(status)["message"] == kept


def test_bounded_message_leaves_short_messages_alone() -> None:
    assert bounded_message("short") == "short"
    assert bounded_message(None) is None


def test_a_ready_report_keeps_the_applied_request_any_other_phase_clears_it() -> None:
    applied = "0123456789abcdef0123456789abcdef"
    done = next_status(store(), phase="Ready", message="ok", now=T0, applied_request=applied)
    assert done["appliedRequest"] == applied
    # Naming the workflow that ran keeps it; so does Ready again with the same digest.
    named = next_status(store(done), workflow="store-provision-demo-x", now=T1)
    assert named["appliedRequest"] == applied
    again = next_status(store(named), phase="Ready", message="ok", now=T1, applied_request=applied)
    assert again == named
    # Any phase without it (a direct run's Ready, a rollback, a new run, a failure) clears it.
    for phase in ("Ready", "Provisioning", "Failed", "Deleting"):
        assert "appliedRequest" not in next_status(store(done), phase=phase, now=T2)
