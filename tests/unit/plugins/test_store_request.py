"""The store request contract: every rule, and the round trip through Argo's
{{workflow.parameters.json}}, where hostile values stay plain data."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ansible_collections.storefleet.platform.plugins.module_utils import store_request as sr

PLANS = ["small", "medium", "large"]
GOOD: dict[str, Any] = {
    "store_name": "demo",
    "store_plan": "medium",
    "store_seed_demo_data": "false",
    "store_backend_image_tag": "0.2.0",
    "store_storefront_image_tag": "",
    "store_labels": {"tier": "beta", "team.example.com/owner": "shop-ops"},
}
PIPE = "1.0 store_plan={{ lookup('pipe','id') }}"


def errors(**changes: Any) -> list[str]:
    return sr.request_errors({**GOOD, **changes}, PLANS)


def test_a_good_request_passes() -> None:
    assert sr.request_errors(GOOD, PLANS) == []
    assert sr.request_errors({"store_name": "demo"}, PLANS) == []
    assert sr.request_errors({"store_name": "demo"}, PLANS, "delete") == []


@pytest.mark.parametrize(
    ("changes", "phrase"),
    [
        ({"store_name": "x store_phase=delete"}, "is not allowed"),
        ({"store_name": "Café"}, "non-ASCII characters ('é')"),
        ({"store_plan": "huge"}, "unknown plan 'huge'; the store chart defines small, medium"),
        ({"store_seed_demo_data": "yes"}, "store_seed_demo_data: 'yes' is not true or false"),
        ({"store_seed_demo_data": "True"}, "is not true or false"),
        ({"store_seed_demo_data": 1}, "is not true or false"),
        ({"store_backend_image_tag": PIPE}, "store_backend_image_tag"),
        ({"store_storefront_image_tag": "v1\nstdin: true"}, "is not a tag"),
        ({"store_labels": {"storefleet.io/store": "other"}}, "is reserved"),
        ({"store_labels": {"app.kubernetes.io/managed-by": "me"}}, "is reserved"),
        ({"store_labels": {"tier": "x" * 64}}, "must be empty or at most 63"),
        ({"store_labels": {"bad key": "x"}}, "must be [prefix/]name"),
        ({"store_labels": {"Bad_Prefix/x": "y"}}, "prefix that is not a DNS subdomain"),
        ({"store_labels": {"tier": 3}}, "must be a string"),
        ({"store_labels": "tier=beta"}, "must be a mapping"),
    ],
)
def test_each_rule_names_itself(changes: dict[str, Any], phrase: str) -> None:
    found = errors(**changes)
    assert len(found) == 1, found
    assert phrase in found[0]


def test_every_broken_rule_is_reported_at_once() -> None:
    found = errors(store_plan="huge", store_seed_demo_data="maybe", store_backend_image_tag="a b")
    assert len(found) == 3


def test_required_and_unknown_fields() -> None:
    assert sr.request_errors({}, PLANS) == ["store_name is required"]
    found = sr.request_errors({"store_name": "demo", "store_phase": "delete"}, PLANS)
    assert found == ["unknown request fields: 'store_phase'"]
    # A delete checks its own fields and leaves a create's alone.
    found = sr.request_errors({"store_name": "demo", "store_plan": "huge"}, PLANS, "delete")
    assert found == []


def test_booleans_are_strict() -> None:
    assert sr.boolean(True) is True and sr.boolean("false") is False
    for value in ("yes", "no", "1", "on", "TRUE", 0, None):
        with pytest.raises(ValueError, match="not true or false"):
            sr.boolean(value)


def test_parameters_round_trip_through_workflow_parameters_json() -> None:
    parameters = sr.workflow_parameters(GOOD)
    assert parameters == {
        "store-name": "demo",
        "plan": "medium",
        "seed-demo-data": "false",
        "backend-image-tag": "0.2.0",
        "storefront-image-tag": "",
        "labels": '{"team.example.com/owner":"shop-ops","tier":"beta"}',
    }
    # Argo's {{workflow.parameters.json}}: a JSON list of the parameter objects.
    text = json.dumps([{"name": k, "value": v, "description": "x"} for k, v in parameters.items()])
    assert sr.request_from_workflow(text) == GOOD
    # Argo may encode the list once more, as a JSON string.
    assert sr.request_from_workflow(json.dumps(text)) == GOOD


def test_a_delete_request_is_the_name_and_the_defaults() -> None:
    assert sr.workflow_parameters({"store_name": "demo"}, "delete") == {"store-name": "demo"}
    request = sr.request_from_workflow('[{"name": "store-name", "value": "demo"}]')
    assert request["store_name"] == "demo"
    assert request["store_plan"] == "small" and request["store_labels"] == {}
    assert sr.request_errors(request, PLANS) == []


def test_hostile_values_stay_data_and_are_refused() -> None:
    text = json.dumps(
        [
            {"name": "store-name", "value": "x store_phase=delete"},
            {"name": "backend-image-tag", "value": PIPE},
        ]
    )
    request = sr.request_from_workflow(text)
    # Exactly what was sent, no variable added: the text never becomes variables.
    assert request["store_name"] == "x store_phase=delete"
    assert request["store_backend_image_tag"] == PIPE
    assert set(request) == set(sr.BY_VARIABLE)
    found = sr.request_errors(request, PLANS)
    assert len(found) == 2 and "store name" in found[0] and "is not a tag" in found[1]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("", "not JSON"),
        ("{}", "JSON list"),
        ('[{"name": "store-phase", "value": "delete"}]', "unknown workflow parameter"),
        ('[{"name": "store-name", "value": "a"}, {"name": "store-name", "value": "b"}]', "twice"),
        ('[{"name": "store-name", "value": 1}]', "must be a string"),
        ('[{"name": "labels", "value": "tier=beta"}, {"name": "store-name", "value": "a"}]',
         "labels must be a JSON object"),
        ('[{"name": "plan", "value": "small"}]', "store-name is missing"),
    ],
)  # fmt: skip
def test_malformed_workflow_parameters_are_refused(text: str, phrase: str) -> None:
    with pytest.raises(sr.RequestError, match=phrase):
        sr.request_from_workflow(text)


def test_template_parameters_declare_the_contract() -> None:
    create = sr.template_parameters("create", PLANS)
    assert [p["name"] for p in create] == [f.parameter for f in sr.FIELDS]
    assert {p["name"]: p.get("enum") for p in create}["plan"] == PLANS
    assert [p["name"] for p in sr.template_parameters("delete", PLANS)] == ["store-name"]
