"""Fleet upgrades and rollbacks on the sandbox's simulated nodes, through the real
playbooks: twelve labelled stores upgraded in waves (a canary, then half, then the rest),
the same run again changing nothing, a store failing its upgrade rolled back while its
wave-mate finishes and the later wave stays untouched, a fleet rollback, a store failing
before Helm changes it made Ready on the release it runs, a fleet backup, and bad input
refused before anything changes. The tests run in file order and share the stores.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from storefleet_sandbox import SandboxClient
from storefleet_sandbox.client import REPO_ROOT
from tests.helm import helm_history
from tests.integration.admission import (
    apply_policies,
    delete_policies,
    failing_bootstrap_policies,
)
from tests.integration.ansible_run import (
    PLATFORM_NAMESPACE,
    PlaybookRun,
    assert_not_changed,
    run_playbook,
    running_pods_ready,
    store,
)

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

BETA = {"suite": "fleet", "tier": "beta"}
STABLE = {"suite": "fleet", "tier": "stable"}
BULK = {"suite": "fleet", "tier": "bulk"}
# Twelve stores. The inventory lists them by name, so the default waves (a canary, half,
# the rest) are [a], [b..g], [h..l].
STORES = {
    "flt-a": BETA, "flt-b": BETA, "flt-c": BETA, "flt-d": STABLE,
    **{f"flt-{letter}": BULK for letter in "efghijkl"},
}  # fmt: skip
NAMES = sorted(STORES)
WAVES = [NAMES[:1], NAMES[1:7], NAMES[7:]]
FLEET = "label_suite_fleet"
UPGRADED = "0.2.0-fleet"
BROKEN = "0.3.0-fleet"
STORES_AT_ONCE = str(REPO_ROOT / "tests" / "fixtures" / "playbooks" / "stores_at_once.yml")
HELM_UPGRADE = "Install or upgrade the store release"
CAP_QUOTA = "storefleet-store-cap"


def set_store_cap(sandbox: SandboxClient, value: str) -> str:
    """The platform's store cap set to `value`; the cap it had."""
    quota = json.loads(
        sandbox.kubectl("-n", PLATFORM_NAMESPACE, "get", "resourcequota", CAP_QUOTA, "-o", "json")
    )
    patch = {"spec": {"hard": {"count/stores.storefleet.io": value}}}
    sandbox.kubectl(
        "-n", PLATFORM_NAMESPACE, "patch", "resourcequota", CAP_QUOTA,
        "--type=merge", "-p", json.dumps(patch),
    )  # fmt: skip
    previous: str = quota["spec"]["hard"]["count/stores.storefleet.io"]
    return previous


@pytest.fixture(scope="module")
def fleet(platform: SandboxClient, workdir: Path) -> Iterator[dict[str, dict[str, Any]]]:
    """The stores, created side by side; their first Store spec by name. They are
    deleted at the end of the module, whatever happened: store_delete is tested
    elsewhere, so their namespaces go without waiting for them. The sandbox inventory's
    store cap (10) is raised for them meanwhile."""
    previous_cap = set_store_cap(platform, str(10 + len(STORES)))
    try:
        created = run_playbook(
            platform, STORES_AT_ONCE, workdir / "create",
            {"fixture_stores": STORES, "fixture_store_state": "present"},
        )  # fmt: skip
        assert created.ok, created.explain()
        yield {name: (store(platform, name) or {})["spec"] for name in STORES}
    finally:
        platform.kubectl(
            "delete", "namespace", *(f"store-{name}" for name in STORES),
            "--ignore-not-found", "--wait=false",
        )  # fmt: skip
        platform.kubectl(
            "-n", PLATFORM_NAMESPACE, "delete", "stores.storefleet.io", *STORES,
            "--ignore-not-found",
        )  # fmt: skip
        set_store_cap(platform, previous_cap)


def fleet_run(
    sandbox: SandboxClient, workdir: Path, playbook: str, step: str, limit: str, **extravars: Any
) -> PlaybookRun:
    # The stores were just created: --limit must not see the inventory's cache of them.
    return run_playbook(
        sandbox, f"storefleet.platform.{playbook}", workdir / step, extravars,
        limit=limit, flush_cache=True,
    )  # fmt: skip


def revisions(sandbox: SandboxClient) -> dict[str, list[int]]:
    return {name: [entry["revision"] for entry in helm_history(sandbox, name)] for name in STORES}


def started(run: PlaybookRun, task: str) -> dict[str, datetime]:
    """When each host started `task`, from the run's events."""
    return {
        event["event_data"]["host"]: datetime.fromisoformat(event["created"])
        for event in run.events
        if event.get("event") == "runner_on_start" and event["event_data"].get("task") == task
    }


def last_event(run: PlaybookRun, host: str) -> datetime:
    return max(
        datetime.fromisoformat(event["created"])
        for event in run.events
        if (event.get("event_data") or {}).get("host") == host
    )


def test_bad_input_is_refused_before_anything_changes(
    platform: SandboxClient, workdir: Path, fleet: dict[str, dict[str, Any]]
) -> None:
    before = revisions(platform)
    no_tag = fleet_run(platform, workdir, "fleet_upgrade", "no-tag", FLEET)
    assert not no_tag.ok
    assert no_tag.failure_messages() == [
        "Nothing was changed: no image tag given: give store_backend_image_tag,"
        " store_storefront_image_tag or both."
    ]
    bad = fleet_run(
        platform, workdir, "fleet_upgrade", "bad-tag-and-waves", FLEET,
        store_backend_image_tag="1.0:latest", fleet_waves=[1, "half"],
    )  # fmt: skip
    assert not bad.ok
    (message,) = bad.failure_messages()
    assert message.startswith("Nothing was changed: fleet_waves item 2: 'half' is neither")
    assert "store_backend_image_tag '1.0:latest' is not a tag" in message
    assert bad.failed_tasks() == ["Refuse an upgrade that cannot run"]
    assert revisions(platform) == before


def test_an_upgrade_runs_in_waves_behind_the_health_gate(
    platform: SandboxClient, workdir: Path, fleet: dict[str, dict[str, Any]]
) -> None:
    run = fleet_run(
        platform, workdir, "fleet_upgrade", "upgrade", FLEET, store_backend_image_tag=UPGRADED
    )
    assert run.ok, run.explain()
    starts = started(run, HELM_UPGRADE)
    assert set(starts) == set(STORES)
    # Each wave starts once every store of the wave before has passed its gate.
    for earlier, later in pairwise(WAVES):
        assert max(last_event(run, name) for name in earlier) < min(starts[n] for n in later)
    # The stores of a wave are upgraded side by side.
    finished = {
        event["event_data"]["host"]: datetime.fromisoformat(event["created"])
        for event in run.events
        if event.get("event") == "runner_on_ok" and event["event_data"].get("task") == HELM_UPGRADE
    }
    for wave in WAVES[1:]:
        assert max(starts[name] for name in wave) < min(finished[name] for name in wave)

    assert revisions(platform) == {name: [1, 2] for name in STORES}
    for name in STORES:
        found = store(platform, name)
        assert found is not None and found["status"]["phase"] == "Ready", found
        assert found["spec"]["backendImage"].endswith(f":{UPGRADED}")
        # The storefront keeps its image, the store its labels and plan.
        assert found["spec"]["storefrontImage"] == fleet[name]["storefrontImage"]
        assert found["metadata"]["labels"]["tier"] == STORES[name]["tier"]
        assert found["spec"]["plan"] == "small"
        assert running_pods_ready(platform, name)


def test_the_same_upgrade_again_changes_nothing(
    platform: SandboxClient, workdir: Path, fleet: dict[str, dict[str, Any]]
) -> None:
    again = fleet_run(
        platform, workdir, "fleet_upgrade", "again", FLEET, store_backend_image_tag=UPGRADED
    )
    assert_not_changed(again)
    assert revisions(platform) == {name: [1, 2] for name in STORES}


def test_a_store_failing_its_gate_is_rolled_back_and_stops_the_waves(
    platform: SandboxClient, workdir: Path, fleet: dict[str, dict[str, Any]]
) -> None:
    # The beta stores in waves [a, b], [c]: flt-b cannot bootstrap the new image (the
    # revision it goes back to can), flt-a beside it can.
    policies = failing_bootstrap_policies("flt-b", image_tag=BROKEN)
    apply_policies(platform, policies)
    try:
        run = fleet_run(
            platform, workdir, "fleet_upgrade", "broken", "label_tier_beta",
            store_backend_image_tag=BROKEN, fleet_waves="2,100%",
        )  # fmt: skip
    finally:
        delete_policies(platform, list(policies))
    assert not run.ok
    (message,) = [m for m in run.failure_messages() if m.startswith("Store ")]
    assert message.startswith("Store flt-b failed gate 'upgrade': ")
    assert "flt-b-store-bootstrap-r3 failed" in message
    assert message.endswith("It was rolled back to revision 2 and is Ready.")

    history = revisions(platform)
    # flt-b made revision 3 and went back to 2's as revision 4.
    assert history["flt-b"] == [1, 2, 3, 4]
    assert helm_history(platform, "flt-b")[-1]["description"] == "Rollback to 2"
    rolled_back = store(platform, "flt-b")
    assert rolled_back is not None and rolled_back["status"]["phase"] == "Ready"
    assert rolled_back["spec"]["backendImage"].endswith(f":{UPGRADED}")
    assert running_pods_ready(platform, "flt-b")
    # Its wave-mate finished its turn, gate included.
    assert history["flt-a"] == [1, 2, 3]
    upgraded = store(platform, "flt-a")
    assert upgraded is not None and upgraded["status"]["phase"] == "Ready"
    assert upgraded["spec"]["backendImage"].endswith(f":{BROKEN}")
    assert "flt-a" in started(run, "Run the smoke check")
    # The next wave never started.
    assert history["flt-c"] == [1, 2]
    assert "flt-c" not in started(run, "Upgrade the store behind its health gate")


def test_a_fleet_rollback_returns_each_store_to_its_previous_revision(
    platform: SandboxClient, workdir: Path, fleet: dict[str, dict[str, Any]]
) -> None:
    selected = ["flt-c", "flt-d"]
    run = fleet_run(platform, workdir, "fleet_rollback", "rollback", "flt-c:label_tier_stable")
    assert run.ok, run.explain()
    starts = started(run, "Roll the release back")
    assert starts["flt-c"] < starts["flt-d"]
    for name in selected:
        history = helm_history(platform, name)
        assert [entry["revision"] for entry in history] == [1, 2, 3]
        assert history[-1]["description"] == "Rollback to 1"
        found = store(platform, name)
        assert found is not None and found["status"]["phase"] == "Ready"
        assert found["spec"]["backendImage"] == fleet[name]["backendImage"]
        assert running_pods_ready(platform, name)
    # The stores not selected kept their revisions.
    assert revisions(platform)["flt-a"] == [1, 2, 3]


def test_a_store_failing_before_helm_changes_it_follows_the_release_it_runs(
    platform: SandboxClient, workdir: Path, fleet: dict[str, dict[str, Any]]
) -> None:
    # The backup before flt-d's upgrade fails, so Helm never makes a new revision; the
    # failure marked the Store Failed with the new image in its spec.
    run = fleet_run(
        platform, workdir, "fleet_upgrade", "backup-fails", "flt-d",
        store_backend_image_tag=BROKEN,
        store_data_job_pod_annotations={"sandbox.storefleet.io/exit-code": "1"},
    )  # fmt: skip
    assert not run.ok
    (message,) = [m for m in run.failure_messages() if m.startswith("Store ")]
    assert message.startswith("Store flt-d failed gate 'upgrade': ")
    assert "backup" in message
    assert message.endswith("Helm made no new revision: it runs revision 3 and is Ready.")
    assert revisions(platform)["flt-d"] == [1, 2, 3]
    found = store(platform, "flt-d")
    assert found is not None and found["status"]["phase"] == "Ready"
    assert found["spec"]["backendImage"] == fleet["flt-d"]["backendImage"]


def on_request_backups(sandbox: SandboxClient) -> dict[str, int]:
    """How many backups taken on request each store lists."""
    counts = {}
    for name in STORES:
        found = sandbox.kubectl(
            "-n", f"store-{name}", "get", "configmap", "store-backups",
            "--ignore-not-found", "-o", "json",
        )  # fmt: skip
        data = json.loads(found).get("data", {}) if found.strip() else {}
        records = [json.loads(record) for record in data.values()]
        counts[name] = sum(1 for record in records if record["reason"] == "on-request")
    return counts


def test_a_fleet_backup_backs_each_selected_store_up(
    platform: SandboxClient, workdir: Path, fleet: dict[str, dict[str, Any]]
) -> None:
    before = on_request_backups(platform)
    named = fleet_run(platform, workdir, "fleet_backup", "backup-named", FLEET, store_name="flt-a")
    assert not named.ok
    assert named.failure_messages()[0].startswith("Nothing was changed: a fleet run picks")
    assert on_request_backups(platform) == before

    run = fleet_run(platform, workdir, "fleet_backup", "backup", "label_tier_beta")
    assert run.ok, run.explain()
    beta = {"flt-a", "flt-b", "flt-c"}
    # Side by side: every store took its lock before the first backup was recorded.
    starts = started(run, "Take the store's lock")
    recorded = started(run, "Record the backup in the list")
    assert set(starts) == set(recorded) == beta
    assert max(starts.values()) < min(recorded.values())
    assert on_request_backups(platform) == {
        name: before[name] + (1 if name in beta else 0) for name in STORES
    }
