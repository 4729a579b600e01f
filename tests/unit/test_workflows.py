"""The store WorkflowTemplates: valid DAGs whose nodes are the store role's phases, each
run as `ansible-playbook storefleet.platform.store_phase` in the store-provisioner image."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

REPO_ROOT = Path(__file__).resolve().parents[2]
_AnsibleCollectionFinder(paths=[str(REPO_ROOT / ".collections")])._install()

from ansible_collections.storefleet.platform.plugins.module_utils.argo import (  # noqa: E402
    dag_task_order,
    entry_dag_tasks,
)

WORKFLOWS = REPO_ROOT / "workflows"
STORE_VARS = yaml.safe_load((REPO_ROOT / "roles/store/vars/main.yml").read_text())
ARGO_VARS = yaml.safe_load((REPO_ROOT / "roles/argo/vars/main.yml").read_text())

PROVISION_ORDER = [
    "validate", "record", "namespace", "guardrails", "secrets",
    "release", "database", "admin", "ready", "report",
]  # fmt: skip
# Steps that wait on the cluster and may meet a passing error.
RETRIED = {"release", "database", "admin", "ready", "delete"}
PARAMETER = re.compile(r"\{\{\s*workflow\.parameters\.([a-z0-9-]+)\s*\}\}")


def template(name: str) -> dict[str, Any]:
    return yaml.safe_load((WORKFLOWS / f"{name}.yaml").read_text())


def templates_by_name(workflow_template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in workflow_template["spec"]["templates"]}


def phase_of(task: dict[str, Any]) -> str:
    (parameter,) = task["arguments"]["parameters"]
    assert parameter["name"] == "phase"
    return str(parameter["value"])


@pytest.fixture(params=["store-provision", "store-delete"])
def workflow_template(request: pytest.FixtureRequest) -> dict[str, Any]:
    return template(request.param)


def test_both_templates_are_the_only_files() -> None:
    assert sorted(p.name for p in WORKFLOWS.iterdir()) == [
        "store-delete.yaml",
        "store-provision.yaml",
    ]


def test_provision_dag_runs_every_phase_in_dependency_order() -> None:
    spec = template("store-provision")["spec"]
    tasks = entry_dag_tasks(spec)
    order = dag_task_order(tasks)
    assert order == PROVISION_ORDER
    assert [phase_of(t) for t in tasks] == [t["name"] for t in tasks]
    needs = {t["name"]: set(t.get("dependencies", [])) for t in tasks}
    # Guardrails and secrets need only the namespace, so they run side by side.
    assert needs["guardrails"] == needs["secrets"] == {"namespace"}
    assert needs["release"] == {"guardrails", "secrets"}


def test_delete_dag_validates_then_deletes() -> None:
    tasks = entry_dag_tasks(template("store-delete")["spec"])
    assert dag_task_order(tasks) == ["validate", "delete"]


def test_every_phase_is_a_store_role_phase(workflow_template: dict[str, Any]) -> None:
    phase_files = STORE_VARS["__store_phase_files"]
    for task in entry_dag_tasks(workflow_template["spec"]):
        phase = phase_of(task)
        assert phase in phase_files, phase
        assert (REPO_ROOT / "roles/store/tasks" / phase_files[phase]).is_file()
    assert (REPO_ROOT / "roles/store/tasks" / phase_files["failed"]).is_file()


def test_steps_run_the_phase_playbook_in_the_provisioner_image(
    workflow_template: dict[str, Any],
) -> None:
    for step in workflow_template["spec"]["templates"]:
        container = step.get("container")
        if container is None:
            continue
        assert container["image"] == "{{workflow.parameters.provisioner-image}}"
        command = container["command"]
        assert command[:4] == [
            "ansible-playbook",
            "storefleet.platform.store_phase",
            "-i",
            "/runner/inventory",
        ]
        # The rest: pairs of -e key=value, never a shell.
        pairs = command[4:]
        assert pairs[0::2] == ["-e"] * (len(pairs) // 2) and len(pairs) % 2 == 0
        keys = [pair.split("=", 1)[0] for pair in pairs[1::2]]
        assert {"store_phase", "store_name", "store_domain"} <= set(keys)
        assert len(keys) == len(set(keys)), f"{step['name']}: a variable set twice"
        assert all(re.fullmatch(r"store_[a-z_]+", key) for key in keys)


def test_parameters_are_declared_and_match_the_store_role(
    workflow_template: dict[str, Any],
) -> None:
    declared = [p["name"] for p in workflow_template["spec"]["arguments"]["parameters"]]
    used = set(PARAMETER.findall(yaml.safe_dump(workflow_template["spec"]["templates"])))
    assert used == set(declared)
    state = "present" if workflow_template["metadata"]["name"] == "store-provision" else "absent"
    assert set(STORE_VARS["__store_argo_parameters"][state]) == set(declared)


def test_retries_and_deadlines(workflow_template: dict[str, Any]) -> None:
    spec = workflow_template["spec"]
    assert spec["activeDeadlineSeconds"] > 0
    by_name = templates_by_name(workflow_template)
    for task in entry_dag_tasks(spec):
        step = by_name[task["template"]]
        assert step["activeDeadlineSeconds"] > 0
        retry = step.get("retryStrategy")
        if task["name"] in RETRIED:
            assert retry and int(retry["limit"]) == 2 and retry["backoff"]["duration"]
        else:
            assert retry is None, f"{task['name']} should fail at once"


def test_exit_handler_marks_the_store_failed(workflow_template: dict[str, Any]) -> None:
    spec = workflow_template["spec"]
    by_name = templates_by_name(workflow_template)
    (step,) = [s for group in by_name[spec["onExit"]]["steps"] for s in group]
    assert step["when"] == "{{workflow.status}} != Succeeded"
    handler = by_name[step["template"]]["container"]
    assert "store_phase=failed" in handler["command"]
    env = {e["name"]: e["value"] for e in handler["env"]}
    assert env["STOREFLEET_WORKFLOW_FAILURES"] == "{{workflow.failures}}"


def test_pods_meet_pod_security_restricted(workflow_template: dict[str, Any]) -> None:
    spec = workflow_template["spec"]
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    # Argo's own init and wait containers get the same container settings.
    patch = yaml.safe_load(spec["podSpecPatch"])
    patched = {c["name"]: c for c in patch["initContainers"] + patch["containers"]}
    containers = [t["container"] for t in spec["templates"] if "container" in t]
    for context in [c["securityContext"] for c in containers] + [
        patched["init"]["securityContext"],
        patched["wait"]["securityContext"],
    ]:
        assert context["allowPrivilegeEscalation"] is False
        assert context["capabilities"]["drop"] == ["ALL"]
    for container in containers:
        assert container["resources"]["limits"] and container["resources"]["requests"]


def test_concurrency_semaphore_and_labels(workflow_template: dict[str, Any]) -> None:
    spec = workflow_template["spec"]
    (semaphore,) = spec["synchronization"]["semaphores"]
    assert semaphore["configMapKeyRef"] == {
        "name": ARGO_VARS["__argo_semaphore_configmap"],
        "key": ARGO_VARS["__argo_semaphore_key"],
    }
    assert spec["serviceAccountName"] == "storefleet-provisioner"
    assert spec["workflowMetadata"]["labelsFrom"]["storefleet.io/store"]["expression"] == (
        "workflow.parameters['store-name']"
    )
    assert workflow_template["metadata"]["namespace"] == "storefleet-system"
