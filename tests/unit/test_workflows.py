"""The store WorkflowTemplates: valid DAGs whose nodes are the store role's phases, each a
step of store-steps that runs `ansible-playbook storefleet.platform.store_phase` with no
extra variables, and what the argo role writes in (names, image, parameters, locks)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from ansible_collections.storefleet.platform.plugins.module_utils import (
    platform_names,
    store_request,
)
from ansible_collections.storefleet.platform.plugins.module_utils.argo import (
    dag_task_order,
    entry_dag_tasks,
)
from ansible_collections.storefleet.platform.plugins.module_utils.argo_templates import (
    workflow_template as applied_template,
)

REPO_ROOT = Path(__file__).resolve().parents[2]

WORKFLOWS = REPO_ROOT / "workflows"
PHASES_DIR = REPO_ROOT / "roles/store/tasks/phases"
STORE_VARS = yaml.safe_load((REPO_ROOT / "roles/store/vars/main.yml").read_text())
PLANS = list(yaml.safe_load((REPO_ROOT / "charts/store/values.yaml").read_text())["plans"])
STEP_IMAGE = "registry.example.com/storefleet/store-provisioner:1.2.3"
STEP_COMMAND = ["ansible-playbook", "storefleet.platform.store_phase", "-i", "/runner/inventory"]

PROVISION_ORDER = [
    "validate", "record", "namespace", "guardrails", "secrets",
    "release", "database", "admin", "ready", "report",
]  # fmt: skip
# Steps that wait on the cluster and may meet a passing error.
RETRIED = {"release", "database", "admin", "ready", "delete"}
PLATFORM_LITERALS = (
    "provisioner-image",
    "storefleet-system",
    "storefleet-provisioner",
    "storefleet-provisioning-semaphore",
    "storefleet-platform-settings",
)
ANY_PARAMETER = re.compile(r"\{\{\s*workflow\.parameters\.([a-z0-9.-]+)\s*\}\}")


def raw(name: str) -> dict[str, Any]:
    return yaml.safe_load((WORKFLOWS / f"{name}.yaml").read_text())


def rendered(name: str, **placement: Any) -> dict[str, Any]:
    """The template as the argo role applies it."""
    return applied_template(raw(name), PLANS, STEP_IMAGE, **placement)


def steps() -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in rendered("store-steps")["spec"]["templates"]}


def phase_of(task: dict[str, Any]) -> str:
    (parameter,) = task["arguments"]["parameters"]
    assert parameter["name"] == "phase"
    return str(parameter["value"])


@pytest.fixture(params=["store-provision", "store-delete"])
def workflow_template(request: pytest.FixtureRequest) -> dict[str, Any]:
    return rendered(request.param)


def test_the_three_templates_are_the_only_files() -> None:
    assert sorted(p.name for p in WORKFLOWS.iterdir()) == [
        "store-delete.yaml",
        "store-provision.yaml",
        "store-steps.yaml",
    ]
    names = {raw(n)["metadata"]["name"] for n in ("store-delete", "store-provision", "store-steps")}
    assert names == {
        platform_names.PROVISION_TEMPLATE,
        platform_names.DELETE_TEMPLATE,
        platform_names.STEPS_TEMPLATE,
    }


def test_provision_dag_runs_every_phase_in_dependency_order() -> None:
    tasks = entry_dag_tasks(rendered("store-provision")["spec"])
    assert dag_task_order(tasks) == PROVISION_ORDER
    assert [phase_of(t) for t in tasks] == [t["name"] for t in tasks]
    needs = {t["name"]: set(t.get("dependencies", [])) for t in tasks}
    # Guardrails and secrets need only the namespace, so they run side by side.
    assert needs["guardrails"] == needs["secrets"] == {"namespace"}
    assert needs["release"] == {"guardrails", "secrets"}


def test_delete_dag_validates_then_deletes() -> None:
    tasks = entry_dag_tasks(rendered("store-delete")["spec"])
    assert dag_task_order(tasks) == ["validate", "delete"]


def test_every_node_is_a_shared_step_and_a_store_role_phase(
    workflow_template: dict[str, Any],
) -> None:
    shared = steps()
    for task in entry_dag_tasks(workflow_template["spec"]):
        assert task["templateRef"]["name"] == platform_names.STEPS_TEMPLATE
        assert task["templateRef"]["template"] in shared
        phase = phase_of(task)
        assert phase in STORE_VARS["__store_phases"]
        assert (PHASES_DIR / f"{phase}.yml").is_file()
    # One file per phase, named after it, and nothing else in phases/.
    assert sorted(p.stem for p in PHASES_DIR.iterdir()) == sorted(STORE_VARS["__store_phases"])


def test_steps_run_the_phase_playbook_with_no_extra_variables() -> None:
    for name, step in steps().items():
        container = step["container"]
        assert container["image"] == STEP_IMAGE
        assert container["command"] == STEP_COMMAND, name
        assert "args" not in container
        env = {e["name"]: e["value"] for e in container["env"]}
        # The request reaches the step as data only: Argo's JSON list of the parameters.
        assert env["STOREFLEET_STORE_REQUEST"] == "{{workflow.parameters.json}}"
        expected_phase = "failed" if name == "mark-failed" else "{{inputs.parameters.phase}}"
        assert env["STOREFLEET_STORE_PHASE"] == expected_phase
        # No single workflow parameter is substituted anywhere in a step.
        assert set(ANY_PARAMETER.findall(yaml.safe_dump(step))) == {"json"}
        assert container["envFrom"] == [
            {"configMapRef": {"name": platform_names.SETTINGS_CONFIGMAP}}
        ]
        # A step knows its image, once: the report records it in the Store's appliedRequest.
        assert [e for e in container["env"] if e["name"] == "STOREFLEET_STEP_IMAGE"] == [
            {"name": "STOREFLEET_STEP_IMAGE", "value": STEP_IMAGE}
        ]


def test_no_file_names_an_image_parameter_or_a_platform_name() -> None:
    for path in WORKFLOWS.glob("*.yaml"):
        text = path.read_text()
        for literal in PLATFORM_LITERALS:
            assert literal not in text, (path.name, literal)


def test_parameters_are_the_request_contract(workflow_template: dict[str, Any]) -> None:
    action = store_request.TEMPLATE_ACTIONS[workflow_template["metadata"]["name"]]
    declared = workflow_template["spec"]["arguments"]["parameters"]
    assert [p["name"] for p in declared] == [f.parameter for f in store_request.fields(action)]
    by_name = {p["name"]: p for p in declared}
    assert "value" not in by_name["store-name"], "the store name has no default"
    if action == "create":
        assert by_name["plan"]["enum"] == PLANS
        assert by_name["seed-demo-data"]["enum"] == ["true", "false"]
        assert by_name["labels"]["value"] == "{}"
    assert all(p["description"] for p in declared)


def test_one_writer_per_store_and_a_global_cap(workflow_template: dict[str, Any]) -> None:
    synchronization = workflow_template["spec"]["synchronization"]
    (mutex,) = synchronization["mutexes"]
    assert mutex == {"name": "store-{{workflow.parameters.store-name}}"}
    (semaphore,) = synchronization["semaphores"]
    assert semaphore["configMapKeyRef"] == {
        "name": platform_names.SEMAPHORE_CONFIGMAP,
        "key": platform_names.SEMAPHORE_KEY,
    }


def test_names_come_from_the_platform(workflow_template: dict[str, Any]) -> None:
    assert workflow_template["metadata"]["namespace"] == platform_names.NAMESPACE
    assert workflow_template["spec"]["serviceAccountName"] == platform_names.PROVISIONER
    labels = workflow_template["spec"]["workflowMetadata"]["labelsFrom"]
    assert labels["storefleet.io/store"]["expression"] == "workflow.parameters['store-name']"


def test_step_pods_get_the_inventory_placement() -> None:
    toleration = {"key": "storefleet.io/real-node", "operator": "Exists", "effect": "NoSchedule"}
    placed = applied_template(
        raw("store-steps"),
        PLANS,
        STEP_IMAGE,
        tolerations=[toleration],
        node_selector={"kubernetes.io/os": "linux"},
        pod_annotations={"example.com/sidecar": False},
    )
    for step in placed["spec"]["templates"]:
        assert step["tolerations"] == [toleration]
        assert step["nodeSelector"] == {"kubernetes.io/os": "linux"}
        assert step["metadata"]["annotations"] == {"example.com/sidecar": "False"}
    # Nothing of it when the inventory sets nothing.
    for step in steps().values():
        assert not {"tolerations", "nodeSelector", "metadata"} & set(step)


def test_retries_and_deadlines(workflow_template: dict[str, Any]) -> None:
    assert workflow_template["spec"]["activeDeadlineSeconds"] > 0
    shared = steps()
    for task in entry_dag_tasks(workflow_template["spec"]):
        step = shared[task["templateRef"]["template"]]
        assert step["activeDeadlineSeconds"] > 0
        retry = step.get("retryStrategy")
        if task["name"] in RETRIED:
            assert retry and int(retry["limit"]) == 2 and retry["backoff"]["duration"]
        else:
            assert retry is None, f"{task['name']} should fail at once"


def test_exit_handler_marks_the_store_failed(workflow_template: dict[str, Any]) -> None:
    spec = workflow_template["spec"]
    by_name = {t["name"]: t for t in spec["templates"]}
    (step,) = [s for group in by_name[spec["onExit"]]["steps"] for s in group]
    assert step["when"] == "{{workflow.status}} != Succeeded"
    assert step["templateRef"] == {"name": platform_names.STEPS_TEMPLATE, "template": "mark-failed"}
    env = {e["name"]: e["value"] for e in steps()["mark-failed"]["container"]["env"]}
    assert env["STOREFLEET_WORKFLOW_FAILURES"] == "{{workflow.failures}}"
    assert env["STOREFLEET_WORKFLOW_STATUS"] == "{{workflow.status}}"


def test_pods_meet_pod_security_restricted(workflow_template: dict[str, Any]) -> None:
    spec = workflow_template["spec"]
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    # Argo's own init and wait containers get the same container settings.
    patch = yaml.safe_load(spec["podSpecPatch"])
    patched = {c["name"]: c for c in patch["initContainers"] + patch["containers"]}
    containers = [t["container"] for t in steps().values()]
    for context in [c["securityContext"] for c in containers] + [
        patched["init"]["securityContext"],
        patched["wait"]["securityContext"],
    ]:
        assert context["allowPrivilegeEscalation"] is False
        assert context["capabilities"]["drop"] == ["ALL"]
    for container in containers:
        assert container["resources"]["limits"] and container["resources"]["requests"]
