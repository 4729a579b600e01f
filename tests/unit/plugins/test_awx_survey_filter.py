"""storefleet.platform.awx_survey_problems: what roles/awx refuses before writing to AWX."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from ansible_collections.storefleet.platform.plugins.filter.awx_survey import awx_survey_problems

from tests.awx_server import surveys as awx
from tests.awx_server.data import role_surveys

NAME = {
    "question_name": "Store name",
    "variable": "store_name",
    "type": "text",
    "required": True,
    "min": 1,
    "max": 35,
    "default": "",
}
PLAN = {
    "question_name": "Plan",
    "variable": "store_plan",
    "type": "multiplechoice",
    "required": False,
    "choices": ["small", "medium", "large"],
    "default": "small",
}


def spec(*questions: dict[str, Any]) -> dict[str, Any]:
    return {"name": "s", "description": "", "spec": [copy.deepcopy(q) for q in questions]}


@pytest.mark.parametrize("name", role_surveys())
def test_the_roles_surveys_pass(name: str) -> None:
    assert awx_survey_problems(role_surveys()[name]) == []


# Each: a spec, and words the problem must contain.
REFUSED_BY_AWX = [
    ({"name": "s", "spec": [NAME]}, "description must be a string"),
    ({"name": "s", "description": "", "spec": []}, "non-empty list"),
    (spec({**NAME, "required": "yes"}), "required must be true or false"),
    (
        spec({k: v for k, v in NAME.items() if k != "variable"}),
        "variable must be a non-empty string",
    ),
    (spec(NAME, NAME), "variable asked twice"),
    (spec({**NAME, "type": "boolean"}), "type 'boolean' is not one of"),
    (spec({**NAME, "max": "35"}), "max must be an integer"),
    (spec({k: v for k, v in PLAN.items() if k != "choices"}), "choices must be a non-empty list"),
    (spec({**PLAN, "default": "huge"}), "is not one of the choices"),
    (spec({**NAME, "type": "integer", "default": "7"}), "is not a number"),
]
KEPT_DIFFERENTLY_BY_AWX = [
    (spec({**PLAN, "choices": "small\nmedium\nlarge\n"}), "AWX rewrites a choices string"),
    (spec({**NAME, "type": "password", "default": "hunter2"}), "read back as $encrypted$"),
]
# Accepted by AWX, but a default that is not a valid answer is silently not applied.
NOT_AN_ANSWER = [
    (spec({**NAME, "default": "x" * 36}), "longer than max 35"),
    (spec({**NAME, "type": "integer", "min": 0, "max": 9, "default": 10}), "above max 9"),
]


@pytest.mark.parametrize(("bad", "words"), REFUSED_BY_AWX + KEPT_DIFFERENTLY_BY_AWX + NOT_AN_ANSWER)
def test_problem_is_named(bad: dict[str, Any], words: str) -> None:
    problems = awx_survey_problems(bad)
    assert any(words in problem for problem in problems), problems


@pytest.mark.parametrize(("bad", "words"), REFUSED_BY_AWX)
def test_what_the_filter_refuses_awx_refuses_too(bad: dict[str, Any], words: str) -> None:
    """The port of AWX's survey endpoint agrees that these specs are refused."""
    assert awx.spec_error(bad) is not None


@pytest.mark.parametrize(("bad", "words"), KEPT_DIFFERENTLY_BY_AWX)
def test_what_awx_would_keep_differently_reads_back_different(
    bad: dict[str, Any], words: str
) -> None:
    assert awx.spec_error(bad) is None
    assert awx.display_spec(awx.normalize_spec(bad)) != bad


def test_an_empty_default_is_no_default() -> None:
    assert awx_survey_problems(spec(NAME, {**PLAN, "default": ""})) == []
