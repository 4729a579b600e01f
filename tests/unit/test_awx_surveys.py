"""The surveys of roles/awx satisfy AWX's own rules, and mean what the playbooks read.

AWX's rules are applied by tests/awx_server/surveys.py, a port of AWX 24.6.1's survey
code: what a survey_spec POST accepts and how AWX stores it, what a launch accepts and
which defaults it fills in.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from ansible_collections.storefleet.platform.plugins.module_utils import fleet_run

from tests.awx_server import surveys as awx
from tests.awx_server.data import INVENTORIES, REPO, inventory_data, role_surveys, survey_of

SURVEYS = role_surveys()
QUESTIONS = [
    pytest.param(name, question, id=f"{name}.{question['variable']}")
    for name, spec in SURVEYS.items()
    for question in spec["spec"]
]
STORE_OPTIONS = yaml.safe_load(
    (REPO / "roles" / "store" / "meta" / "argument_specs.yml").read_text()
)["argument_specs"]["main"]["options"]
# Survey variables that are not store role options, and who reads them.
OTHER_VARIABLES = {
    "store_name_confirmation": REPO / "playbooks" / "store_delete.yml",
    "storefleet_store_cap": REPO / "roles" / "platform" / "defaults" / "main.yml",
    "storefleet_max_concurrent_provisions": REPO / "roles" / "argo" / "defaults" / "main.yml",
    "fleet_waves": REPO / "playbooks" / "fleet_upgrade.yml",
    "fleet_max_fail_percentage": REPO / "playbooks" / "fleet_upgrade.yml",
    "store_rollback_restore_backup": REPO / "playbooks" / "fleet_rollback.yml",
}


@pytest.mark.parametrize("name", SURVEYS)
def test_awx_accepts_the_survey_and_keeps_it_as_written(name: str) -> None:
    spec = SURVEYS[name]
    assert awx.spec_error(spec) is None
    # awx.awx compares what it sends with what AWX returns: equal, or changed every run.
    assert awx.display_spec(awx.normalize_spec(spec)) == spec


@pytest.mark.parametrize(("name", "question"), QUESTIONS)
def test_question_follows_awx_rules(name: str, question: dict[str, Any]) -> None:
    assert question["type"] in ("text", "integer", "multiplechoice"), "types the TUI maps"
    assert isinstance(question["required"], bool)
    assert question["question_name"] and question.get("question_description")
    if question["type"] == "multiplechoice":
        assert isinstance(question["choices"], list) and len(set(question["choices"])) == len(
            question["choices"]
        )
        assert all(isinstance(choice, str) for choice in question["choices"])
    if question["type"] in ("text", "integer"):
        assert isinstance(question["min"], int) and isinstance(question["max"], int)
        assert 0 <= question["min"] <= question["max"]


@pytest.mark.parametrize(("name", "question"), QUESTIONS)
def test_default_is_an_answer_awx_accepts_or_none(name: str, question: dict[str, Any]) -> None:
    variable = question["variable"]
    if "default" not in question:
        assert not question["required"], "a required question without a default must say so with ''"
        return
    default = question["default"]
    valid = not awx.answer_errors({"spec": [question]}, {variable: default})
    if question["type"] == "multiplechoice" and default == "":
        # No default: an unanswered optional choice leaves the inventory's value.
        assert not question["required"]
        assert variable not in awx.defaults({"spec": [question]})
    elif question["required"] and default == "":
        # Nothing to fill in: the one answer a person must give (the store's name).
        assert not valid
    else:
        assert valid, f"{variable}: default {default!r} breaks its own limits"
        assert awx.defaults({"spec": [question]}) == {variable: default}


@pytest.mark.parametrize(("name", "question"), QUESTIONS)
def test_every_variable_is_one_the_playbooks_read(name: str, question: dict[str, Any]) -> None:
    variable = question["variable"]
    if variable in STORE_OPTIONS:
        option = STORE_OPTIONS[variable]
        if question["type"] == "multiplechoice" and option.get("type") == "bool":
            assert question["choices"] == ["true", "false"]
        elif question["type"] == "multiplechoice":
            assert question["choices"] == option["choices"]
        elif question["type"] == "integer":
            assert option["type"] == "int"
        else:
            assert option["type"] == "str"
        return
    assert variable in OTHER_VARIABLES, f"{variable} is neither a store role option nor known"
    assert variable in OTHER_VARIABLES[variable].read_text()


def test_store_name_limits_are_the_crd_limits() -> None:
    crd = (REPO / "roles" / "platform" / "files" / "store-crd.yml").read_text()
    crd_max = int(re.search(r"size\(self\.metadata\.name\) <= (\d+)", crd).group(1))  # type: ignore[union-attr]
    names = [
        q
        for s in SURVEYS.values()
        for q in s["spec"]
        if q["variable"] in ("store_name", "store_name_confirmation")
    ]
    assert names
    for question in names:
        assert question["max"] == crd_max == 35
        assert question["min"] == (0 if not question["required"] else 1)


def test_plans_are_the_charts_plans() -> None:
    values = yaml.safe_load((REPO / "charts" / "store" / "values.yaml").read_text())
    plans = [q for s in SURVEYS.values() for q in s["spec"] if q["variable"] == "store_plan"]
    assert plans
    for question in plans:
        assert question["choices"] == list(values["plans"])


def test_delete_asks_for_the_name_twice() -> None:
    variables = [q["variable"] for q in SURVEYS["store_delete"]["spec"]]
    assert variables == ["store_name", "store_name_confirmation"]
    assert all(q["required"] for q in SURVEYS["store_delete"]["spec"])


@pytest.mark.parametrize("name", ["fleet_upgrade", "fleet_rollback"])
def test_fleet_answers_as_awx_passes_them_are_what_the_fleet_playbooks_accept(name: str) -> None:
    spec = SURVEYS[name]
    answers = awx.defaults(spec)
    # Text and integer answers reach the playbook as a string and an int.
    assert fleet_run.waves(answers["fleet_waves"]) == [1, "50%", "100%"]
    assert not fleet_run.max_fail_percentage_error(answers["fleet_max_fail_percentage"])
    assert not fleet_run.wave_error("2,25%")
    # What the questions' limits let through that the rules refuse, the play refuses
    # before any store changes: the survey only keeps the text short.
    assert fleet_run.wave_error("none")


@pytest.mark.parametrize("inventory", INVENTORIES)
def test_fleet_templates_ask_for_the_stores_and_run_on_the_fleet(inventory: str) -> None:
    data = inventory_data(inventory)
    fleet = {t["name"]: t for t in data["controller_templates"] if t["name"].startswith("fleet-")}
    assert set(fleet) == {"fleet-upgrade", "fleet-rollback"}
    for template in fleet.values():
        assert template["ask_limit_on_launch"] is True
        assert template["inventory"] == "{{ storefleet_awx_fleet_inventory }}"
        assert not template.get("allow_simultaneous")
    source = next(
        s
        for s in data["controller_inventory_sources"]
        if s["inventory"] == "{{ storefleet_awx_fleet_inventory }}"
    )
    assert source["update_on_launch"] is True


@pytest.mark.parametrize("inventory", INVENTORIES)
def test_every_template_of_the_inventory_has_a_role_survey(inventory: str) -> None:
    data = inventory_data(inventory)
    for item in data["controller_templates"] + data["controller_workflows"]:
        assert survey_of(item) in SURVEYS


@pytest.mark.parametrize("inventory", INVENTORIES)
def test_workflow_survey_asks_what_its_nodes_require(inventory: str) -> None:
    """AWX hands a workflow's survey answers to every node's job; a node's own survey
    gets nothing else, so each question it requires must be asked by the workflow."""
    data = inventory_data(inventory)
    templates = {t["name"]: t for t in data["controller_templates"]}
    for workflow in data["controller_workflows"]:
        asked = {q["variable"]: q for q in SURVEYS[survey_of(workflow)]["spec"]}
        for node in workflow["workflow_nodes"]:
            template = templates[node["unified_job_template"]["name"]]
            for question in SURVEYS[survey_of(template)]["spec"]:
                if question["required"]:
                    assert question["variable"] in asked, (workflow["name"], template["name"])
                    assert asked[question["variable"]]["required"]
                    assert asked[question["variable"]]["max"] <= question["max"]
