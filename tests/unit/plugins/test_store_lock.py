"""Who may take a store's lock, and what a busy lock says."""

from __future__ import annotations

import datetime

from ansible_collections.storefleet.platform.plugins.module_utils import store_lock

NOW = datetime.datetime(2026, 1, 1, 12, 0, 0, tzinfo=datetime.UTC)


def spec(holder: str, renewed: datetime.datetime, seconds: int = 60) -> dict:
    return store_lock.lease_body("demo", "storefleet-system", holder, seconds, renewed)["spec"]


def test_lease_is_named_after_the_store_and_labelled() -> None:
    body = store_lock.lease_body("demo", "storefleet-system", "me", 120, NOW, resource_version="7")
    assert body["metadata"]["name"] == "store-demo"
    assert body["metadata"]["resourceVersion"] == "7"
    assert body["metadata"]["labels"]["storefleet.io/store"] == "demo"
    assert body["spec"] == {
        "holderIdentity": "me",
        "leaseDurationSeconds": 120,
        "acquireTime": "2026-01-01T12:00:00.000000Z",
        "renewTime": "2026-01-01T12:00:00.000000Z",
    }


def test_a_free_own_or_expired_lock_may_be_taken() -> None:
    assert store_lock.may_take({}, "me", NOW)
    assert store_lock.may_take(spec("", NOW), "me", NOW)
    assert store_lock.may_take(spec("me", NOW), "me", NOW)
    expired = spec("other", NOW - datetime.timedelta(seconds=61))
    assert store_lock.may_take(expired, "me", NOW)


def test_a_live_lock_of_another_run_may_not() -> None:
    assert not store_lock.may_take(spec("other", NOW - datetime.timedelta(seconds=59)), "me", NOW)
    # A lease without a duration never expires by itself.
    assert not store_lock.may_take({"holderIdentity": "other"}, "me", NOW)


def test_busy_message_names_the_holder_the_expiry_and_the_way_out() -> None:
    message = store_lock.busy_message("demo", "storefleet-system", spec("ops@laptop/1a2b", NOW))
    assert "store demo is busy: ops@laptop/1a2b holds its lock" in message
    assert "expires 2026-01-01T12:01:00.000000Z" in message
    assert "kubectl -n storefleet-system delete lease store-demo" in message


def test_times_parse_in_both_forms() -> None:
    assert store_lock.parse_time("2026-01-01T12:00:00.000000Z") == NOW
    assert store_lock.parse_time("2026-01-01T12:00:00Z") == NOW
    assert store_lock.parse_time("soon") is None


def test_a_holder_names_its_host_and_controller_process() -> None:
    holder = store_lock.holder_identity("ops", "laptop", 4242, "1a2b3c")
    assert holder == "ops@laptop/4242/1a2b3c"
    assert store_lock.holder_controller(holder) == ("laptop", 4242)
    # Holders of another form (older runs, a pod's step) name no process.
    assert store_lock.holder_controller("ops@laptop/1a2b3c") is None
    assert store_lock.holder_controller("") is None


def test_a_live_lock_whose_controller_is_gone_may_be_taken() -> None:
    live = spec("ops@laptop/4242/1a2b3c", NOW)
    asked: list[str] = []

    def gone(holder: str) -> bool:
        asked.append(holder)
        return True

    assert store_lock.may_take(live, "me", NOW, gone)
    assert asked == ["ops@laptop/4242/1a2b3c"]
    assert not store_lock.may_take(live, "me", NOW, lambda holder: False)
    assert not store_lock.may_take(live, "me", NOW)
