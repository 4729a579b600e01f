"""A fleet run's checks before any store changes: its waves, the failures it tolerates,
what it changes and which stores may take part; and the same through the filters."""

from __future__ import annotations

from typing import Any

import pytest
from ansible.errors import AnsibleError
from ansible_collections.storefleet.platform.plugins.module_utils.fleet_run import (
    DEFAULT_WAVES,
    max_fail_percentage_error,
    run_errors,
    waves,
)

from tests.unit.plugins.templating import render

PLANS = ["small", "medium", "large"]


def store(name: str, phase: str = "Ready", revision: int = 2) -> dict[str, Any]:
    """A store host's variables, as the inventory plugin sets them."""
    return {
        "fleet_store_name": name,
        "fleet_store_phase": phase,
        "fleet_store_helm_revision": revision,
    }


def upgrade(**given: Any) -> dict[str, Any]:
    return {
        "fleet_waves": DEFAULT_WAVES,
        "fleet_max_fail_percentage": 0,
        "store_backend_image_tag": "0.2.0",
        **given,
    }


# -- waves -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "sizes"),
    [
        ([1, "50%", "100%"], [1, "50%", "100%"]),
        ([2], [2]),
        ("1,50%,100%", [1, "50%", "100%"]),
        (" 1 , 25% ", [1, "25%"]),
        ('[1, "50%", 2]', [1, "50%", 2]),
        (["3", "100%"], [3, "100%"]),
    ],
)
def test_waves_are_counts_and_percentages(spec: Any, sizes: list[Any]) -> None:
    assert waves(spec) == sizes


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ([], "must be a list"),
        ("", "must be a list"),
        ("[]", "must be a list"),
        (3, "must be a list"),
        ({"wave": 1}, "must be a list"),
        ([1, "half"], "item 2: 'half' is neither a count nor a percentage"),
        ([0], "item 1: '0' is not a count of at least 1"),
        ([1, "0%"], "item 2: '0%' is not a percentage from 1% to 100%"),
        (["150%"], "not a percentage from 1% to 100%"),
        ([True], "item 1: 'True' is not a count"),
        ([1.5], "neither a count nor a percentage"),
        ([-1], "not a count of at least 1"),
    ],
)
def test_a_wave_spec_that_is_not_counts_and_percentages_is_refused(spec: Any, reason: str) -> None:
    with pytest.raises(ValueError, match=r"^fleet_waves") as raised:
        waves(spec)
    assert reason in str(raised.value)


@pytest.mark.parametrize(("value", "valid"), [(0, True), (100, True), ("25", True),
                                              (101, False), (-1, False), ("10%", False),
                                              (True, False), (None, False)])  # fmt: skip
def test_max_fail_percentage_is_a_whole_number_up_to_100(value: Any, valid: bool) -> None:
    assert (max_fail_percentage_error(value) == "") is valid


# -- the upgrade -------------------------------------------------------------------------


def test_a_valid_upgrade_of_ready_stores_can_start() -> None:
    assert run_errors(upgrade(), [store("a"), store("b")], PLANS) == []
    with_plan = upgrade(
        store_backend_image_tag=None, store_storefront_image_tag="2", store_plan="medium"
    )
    assert run_errors(with_plan, [], PLANS) == []


def test_an_upgrade_needs_an_image_tag() -> None:
    expected = [
        "no image tag given: give store_backend_image_tag, store_storefront_image_tag or both"
    ]
    assert run_errors(upgrade(store_backend_image_tag=""), [store("a")], PLANS) == expected
    # A plan alone is no upgrade of the images.
    plan_only = upgrade(store_backend_image_tag=None, store_plan="large")
    assert run_errors(plan_only, [], PLANS) == expected


def test_an_invalid_tag_or_plan_is_named() -> None:
    problems = run_errors(
        upgrade(store_storefront_image_tag="bad tag", store_plan="huge"), [store("a")], PLANS
    )
    assert len(problems) == 2
    assert problems[0].startswith("store_storefront_image_tag 'bad tag' is not a tag")
    assert (
        problems[1]
        == "store_plan: unknown plan 'huge'; the store chart defines small, medium, large"
    )


def test_one_store_or_revision_is_not_taken() -> None:
    problems = run_errors(upgrade(store_name="a", store_rollback_revision=3), [store("a")], PLANS)
    assert [problem.split(":")[0] for problem in problems] == [
        "store_name is not taken",
        "store_rollback_revision is not taken",
    ]


def test_every_store_must_be_ready_before_an_upgrade() -> None:
    stores = [store("a"), store("c", "Failed"), store("b", "Provisioning")]
    (problem,) = run_errors(upgrade(), stores, PLANS)
    assert problem.startswith(
        "every selected store must be Ready before a fleet upgrade: b is Provisioning, c is Failed;"
    )


def test_bad_waves_and_failure_percentage_are_reported_together() -> None:
    problems = run_errors(upgrade(fleet_waves="1,x", fleet_max_fail_percentage=200), [], PLANS)
    assert [problem.split(" ")[0] for problem in problems] == [
        "fleet_waves",
        "fleet_max_fail_percentage",
    ]


# -- the rollback ------------------------------------------------------------------------


def rollback(**given: Any) -> dict[str, Any]:
    return {"fleet_waves": [1, "100%"], "fleet_max_fail_percentage": 0, **given}


def test_a_rollback_takes_failed_stores_with_an_earlier_revision() -> None:
    stores = [store("a"), store("b", "Failed", 3)]
    assert run_errors(rollback(), stores, change="rollback") == []


def test_a_rollback_needs_a_previous_revision_and_a_settled_store() -> None:
    stores = [store("a", revision=1), store("b", "Deleting")]
    assert run_errors(rollback(), stores, change="rollback") == [
        "every selected store must be Ready or Failed before a fleet rollback: b is Deleting;"
        " leave them out with --limit (for instance '<pattern>:&phase_ready')",
        "no previous revision to roll back to: a run revision 1",
    ]


def test_a_rollback_takes_no_tags_or_plan() -> None:
    request = rollback(store_backend_image_tag="0.3.0")
    (problem,) = run_errors(request, [store("a")], change="rollback")
    assert problem.endswith("it takes no store_backend_image_tag")


def test_an_unknown_change_is_refused() -> None:
    assert run_errors(rollback(), [], change="restart") == [
        "unknown fleet change 'restart': use upgrade or rollback"
    ]


# -- through the filters -----------------------------------------------------------------


def test_the_filters_check_and_shape_the_waves() -> None:
    assert render("'1,50%,100%' | storefleet.platform.fleet_waves") == [1, "50%", "100%"]
    with pytest.raises(AnsibleError, match="fleet_waves item 1"):
        render("['x'] | storefleet.platform.fleet_waves")
    problems = render(
        "request | storefleet.platform.fleet_run_errors(stores, plans, 'upgrade')",
        request=upgrade(store_backend_image_tag=""),
        stores=[store("a")],
        plans=PLANS,
    )
    assert [problem.split(":")[0] for problem in problems] == ["no image tag given"]
