"""Following a workflow: nodes in DAG order, changes since the last look, the failure."""

from __future__ import annotations

from typing import Any

import pytest
from ansible_collections.storefleet.platform.plugins.module_utils.argo import (
    DagError,
    changed_rows,
    dag_task_order,
    failure_message,
    known_states,
    node_rows,
    workflow_definition,
)

TASKS = [
    {"name": "validate"},
    {"name": "release", "dependencies": ["guardrails", "secrets"]},
    {"name": "secrets", "dependencies": ["validate"]},
    {"name": "guardrails", "dependencies": ["validate"]},
]


def workflow(nodes: dict[str, dict[str, Any]], phase: str = "Running") -> dict[str, Any]:
    return {
        "metadata": {"name": "wf"},
        "spec": {"entrypoint": "main", "templates": [{"name": "main", "dag": {"tasks": TASKS}}]},
        "status": {"phase": phase, "nodes": nodes},
    }


def test_dag_order_follows_dependencies_then_declaration() -> None:
    assert dag_task_order(TASKS) == ["validate", "secrets", "guardrails", "release"]


def test_dag_cycle_and_unknown_dependency_are_refused() -> None:
    with pytest.raises(DagError, match="cycle"):
        dag_task_order([{"name": "a", "dependencies": ["b"]}, {"name": "b", "dependencies": ["a"]}])
    with pytest.raises(DagError, match="unknown"):
        dag_task_order([{"name": "a", "dependencies": ["x"]}])


def test_rows_in_dag_order_with_retries_and_exit_handler() -> None:
    nodes = {
        "wf": {"id": "wf", "type": "DAG", "displayName": "wf", "phase": "Failed"},
        "v": {"id": "v", "type": "Pod", "displayName": "validate", "phase": "Succeeded"},
        "r": {
            "id": "r",
            "type": "Retry",
            "displayName": "release",
            "phase": "Failed",
            "message": "Error (exit code 1)",
            "children": ["r0", "r1"],
        },
        "r0": {"id": "r0", "type": "Pod", "displayName": "release(0)", "phase": "Failed"},
        "r1": {"id": "r1", "type": "Pod", "displayName": "release(1)", "phase": "Failed"},
        "s": {"id": "s", "type": "Pod", "displayName": "secrets", "phase": "Succeeded"},
        "x": {
            "id": "x",
            "type": "Steps",
            "displayName": "wf.onExit",
            "phase": "Running",
            "children": ["xg"],
        },
        "xg": {"id": "xg", "type": "StepGroup", "displayName": "[0]", "children": ["xp"]},
        "xp": {"id": "xp", "type": "Pod", "displayName": "mark-failed", "phase": "Running"},
    }
    rows = node_rows(workflow(nodes, "Failed"))
    assert [(r["name"], r["phase"], r["retries"]) for r in rows] == [
        ("validate", "Succeeded", 0),
        ("secrets", "Succeeded", 0),
        ("guardrails", "Pending", 0),
        ("release", "Failed", 1),
        ("onExit", "Running", 0),
        ("onExit/mark-failed", "Running", 0),
    ]
    assert failure_message(workflow(nodes, "Failed"), rows) == (
        "step release failed: Error (exit code 1)"
    )


def test_changes_since_the_last_look() -> None:
    before = node_rows(workflow({}))
    known = known_states(before)
    assert changed_rows(before, known) == []
    # A node not seen before is Pending: no news.
    assert changed_rows(before, {}) == []
    after = node_rows(
        workflow({"v": {"id": "v", "type": "Pod", "displayName": "validate", "phase": "Running"}})
    )
    assert [r["name"] for r in changed_rows(after, known)] == ["validate"]


def test_workflow_definition_refers_to_the_template_with_string_parameters() -> None:
    definition = workflow_definition(
        "storefleet-system",
        "store-provision",
        "store-provision-demo-",
        {"storefleet.io/store": "demo"},
        {"store-name": "demo", "seed-demo-data": True, "backend-image-tag": None},
    )
    assert definition["metadata"]["generateName"] == "store-provision-demo-"
    assert definition["spec"]["workflowTemplateRef"] == {"name": "store-provision"}
    assert definition["spec"]["arguments"]["parameters"] == [
        {"name": "backend-image-tag", "value": ""},
        {"name": "seed-demo-data", "value": "true"},
        {"name": "store-name", "value": "demo"},
    ]
    # Strict template referencing: a submission brings the reference and arguments only.
    assert set(definition["spec"]) == {"workflowTemplateRef", "arguments"}
