"""Argo on the sandbox: the argo role installs it (server-side apply, then no change),
the store WorkflowTemplates are accepted, the store role follows their DAGs, and each
DAG node's command, run directly in DAG order, really provisions and deletes a store.

The tests run in file order and share the store `argoflow`.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from storefleet_sandbox import SandboxClient
from storefleet_sandbox.client import REPO_ROOT
from tests.integration.ansible_run import (
    PLATFORM_NAMESPACE,
    SANDBOX_INVENTORY,
    PlaybookRun,
    apply_platform,
    assert_not_changed,
    environment_for_cli,
    kubectl_json,
    namespace_exists,
    run_playbook,
    running_pods_ready,
    store,
)
from tests.waiting import wait_for

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

NAME = "argoflow"
FAILING = "argofail"
ARGO_PLAYBOOK = str(REPO_ROOT / "playbooks" / "argo.yml")
IN_IMAGE_INVENTORY = "/runner/inventory"
NODE_LINE = re.compile(
    r"^\s*- '?([a-zA-Z/()0-9-]+)\s+(Pending|Running|Succeeded|Failed|Error)\b", re.M
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("argo")


@pytest.fixture(scope="module")
def argo_runs(sandbox: SandboxClient, workdir: Path) -> tuple[PlaybookRun, PlaybookRun]:
    """The platform, then the argo playbook twice."""
    apply_platform(sandbox, workdir)
    first = run_playbook(sandbox, ARGO_PLAYBOOK, workdir / "argo-1")
    assert first.ok, first.explain()
    second = run_playbook(sandbox, ARGO_PLAYBOOK, workdir / "argo-2")
    return first, second


def dag_tasks(template: dict[str, Any]) -> list[dict[str, Any]]:
    spec = template["spec"]
    (entry,) = [t for t in spec["templates"] if t["name"] == spec["entrypoint"]]
    return list(entry["dag"]["tasks"])


def dag_order(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Topological order (declaration order breaks ties), computed here independently."""
    done: list[str] = []
    ordered = []
    while len(ordered) < len(tasks):
        task = next(
            t
            for t in tasks
            if t["name"] not in done and set(t.get("dependencies", [])) <= set(done)
        )
        done.append(task["name"])
        ordered.append(task)
    return ordered


def workflows_of(sandbox: SandboxClient, name: str, template: str) -> list[dict[str, Any]]:
    found = kubectl_json(
        sandbox, "-n", PLATFORM_NAMESPACE, "get", "workflows", "-l", f"storefleet.io/store={name}"
    )["items"]
    return sorted(
        (w for w in found if w["spec"]["workflowTemplateRef"]["name"] == template),
        key=lambda w: w["metadata"]["creationTimestamp"],
    )


def substitute(text: str, scope: str, values: dict[str, str]) -> str:
    """Argo's {{<scope>.parameters.<name>}} replaced by its value."""
    pattern = r"\{\{" + scope + r"\.parameters\.([a-z0-9-]+)\}\}"
    return re.sub(pattern, lambda match: values[match[1]], text)


def node_commands(template_name: str, workflow: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Each DAG node's command line in DAG order, parameters substituted, run against the
    sandbox inventory instead of the image's in-cluster one."""
    template = yaml.safe_load((REPO_ROOT / "workflows" / f"{template_name}.yaml").read_text())
    containers = {t["name"]: t.get("container") for t in template["spec"]["templates"]}
    parameters = {p["name"]: p["value"] for p in workflow["spec"]["arguments"]["parameters"]}
    commands = []
    for task in dag_order(dag_tasks(template)):
        inputs = {p["name"]: p["value"] for p in task["arguments"]["parameters"]}
        argv = []
        for arg in containers[task["template"]]["command"]:
            arg = substitute(substitute(arg, "workflow", parameters), "inputs", inputs)
            argv.append(str(SANDBOX_INVENTORY) if arg == IN_IMAGE_INVENTORY else arg)
        assert "{{" not in " ".join(argv), argv
        commands.append((task["name"], argv))
    return commands


def run_node_commands(sandbox: SandboxClient, commands: list[tuple[str, list[str]]]) -> None:
    for node, argv in commands:
        result = subprocess.run(
            argv,
            cwd=REPO_ROOT,
            env=environment_for_cli(sandbox),
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        tail = "\n".join(result.stdout.splitlines()[-25:])
        assert result.returncode == 0, f"node {node}: {' '.join(argv)}\n{tail}\n{result.stderr}"


def shown_node_states(run: PlaybookRun) -> list[tuple[str, str]]:
    return NODE_LINE.findall(run.stdout)


def assert_nodes_shown_in_dag_order(run: PlaybookRun, template_name: str) -> None:
    template = yaml.safe_load((REPO_ROOT / "workflows" / f"{template_name}.yaml").read_text())
    shown = shown_node_states(run)
    first_seen = {}
    succeeded_at = {}
    assert all(phase != "Pending" for _, phase in shown), shown
    for index, (node, phase) in enumerate(shown):
        first_seen.setdefault(node, index)
        if phase == "Succeeded":
            succeeded_at.setdefault(node, index)
    tasks = dag_tasks(template)
    assert set(succeeded_at) >= {t["name"] for t in tasks}, shown
    for task in tasks:
        for dependency in task.get("dependencies", []):
            # A node is shown after the nodes it depends on were shown Succeeded.
            assert succeeded_at[dependency] < first_seen[task["name"]], shown


# --- The argo role ------------------------------------------------------------------


def test_argo_role_installs_by_server_side_apply(
    sandbox: SandboxClient, argo_runs: tuple[PlaybookRun, PlaybookRun]
) -> None:
    crd = json.loads(
        sandbox.kubectl(
            "get", "crd", "workflows.argoproj.io", "--show-managed-fields", "-o", "json"
        )
    )
    managers = {
        (entry["manager"], entry["operation"]) for entry in crd["metadata"]["managedFields"]
    }
    assert ("storefleet", "Apply") in managers
    deployment = kubectl_json(sandbox, "-n", "argo", "get", "deployment", "workflow-controller")
    assert deployment["status"].get("availableReplicas") == 1
    semaphore = kubectl_json(
        sandbox, "-n", PLATFORM_NAMESPACE, "get", "configmap", "storefleet-provisioning-semaphore"
    )
    assert semaphore["data"] == {"stores": "3"}


def test_argo_role_second_run_changes_nothing(
    argo_runs: tuple[PlaybookRun, PlaybookRun],
) -> None:
    assert_not_changed(argo_runs[1])


def test_provisioner_may_run_and_submit_workflows(
    sandbox: SandboxClient, argo_runs: tuple[PlaybookRun, PlaybookRun]
) -> None:
    account = f"system:serviceaccount:{PLATFORM_NAMESPACE}:storefleet-provisioner"
    for verb, resource in [
        ("create", "workflowtaskresults.argoproj.io"),
        ("patch", "workflowtaskresults.argoproj.io"),
        ("create", "workflows.argoproj.io"),
        ("watch", "workflows.argoproj.io"),
    ]:
        answer = sandbox.kubectl(
            "auth", "can-i", verb, resource, "-n", PLATFORM_NAMESPACE, "--as", account, check=False
        )
        assert answer.strip() == "yes", (verb, resource)
    # Workflows elsewhere stay out of reach.
    assert (
        sandbox.kubectl(
            "auth",
            "can-i",
            "create",
            "workflows.argoproj.io",
            "-n",
            "argo",
            "--as",
            account,
            check=False,
        ).strip()
        == "no"
    )


def test_templates_are_accepted_by_the_api_server(
    sandbox: SandboxClient, argo_runs: tuple[PlaybookRun, PlaybookRun]
) -> None:
    for path in sorted((REPO_ROOT / "workflows").glob("*.yaml")):
        sandbox.kubectl(
            "apply",
            "--server-side",
            "--dry-run=server",
            "--field-manager=storefleet",
            "-f",
            str(path),
        )
    names = sandbox.kubectl("-n", PLATFORM_NAMESPACE, "get", "workflowtemplates", "-o", "name")
    assert set(names.split()) == {
        "workflowtemplate.argoproj.io/store-provision",
        "workflowtemplate.argoproj.io/store-delete",
    }


# --- The store role with store_orchestrator argo ------------------------------------


def test_store_create_with_argo_follows_the_dag(
    sandbox: SandboxClient, argo_runs: tuple[PlaybookRun, PlaybookRun], workdir: Path
) -> None:
    run = run_playbook(
        sandbox,
        "storefleet.platform.store_create",
        workdir / "create",
        {"store_name": NAME, "store_orchestrator": "argo"},
    )
    assert run.ok, run.explain()
    (workflow,) = workflows_of(sandbox, NAME, "store-provision")
    # Argo's controller accepted the template and drove the DAG (kwok ran the steps).
    assert workflow["status"]["phase"] == "Succeeded", workflow["status"].get("message")
    assert workflow["metadata"]["name"].startswith(f"store-provision-{NAME}-")
    assert_nodes_shown_in_dag_order(run, "store-provision")
    # The exit handler runs, but marks nothing on success.
    assert ("onExit", "Succeeded") in shown_node_states(run)


def test_provision_node_commands_run_directly_make_a_ready_store(sandbox: SandboxClient) -> None:
    (workflow,) = workflows_of(sandbox, NAME, "store-provision")
    commands = node_commands("store-provision", workflow)
    assert [node for node, _ in commands][:3] == ["validate", "record", "namespace"]
    run_node_commands(sandbox, commands)
    found = store(sandbox, NAME)
    assert found and found["status"]["phase"] == "Ready", found
    wait_for(lambda: running_pods_ready(sandbox, NAME), timeout=120, what="the store pods Ready")


def test_store_delete_with_argo_follows_the_dag(sandbox: SandboxClient, workdir: Path) -> None:
    run = run_playbook(
        sandbox,
        "storefleet.platform.store_delete",
        workdir / "delete",
        {"store_name": NAME, "store_orchestrator": "argo"},
    )
    assert run.ok, run.explain()
    (workflow,) = workflows_of(sandbox, NAME, "store-delete")
    assert workflow["status"]["phase"] == "Succeeded", workflow["status"].get("message")
    assert_nodes_shown_in_dag_order(run, "store-delete")


def test_delete_node_commands_run_directly_remove_the_store(sandbox: SandboxClient) -> None:
    (workflow,) = workflows_of(sandbox, NAME, "store-delete")
    run_node_commands(sandbox, node_commands("store-delete", workflow))
    assert store(sandbox, NAME) is None
    assert not namespace_exists(sandbox, NAME)


def test_failing_step_runs_the_exit_handler_and_fails_the_play(
    sandbox: SandboxClient, argo_runs: tuple[PlaybookRun, PlaybookRun], workdir: Path
) -> None:
    run = run_playbook(
        sandbox,
        "storefleet.platform.store_create",
        workdir / "failing",
        {
            "store_name": FAILING,
            "store_orchestrator": "argo",
            # The sandbox's simulated nodes fail a pod that asks for it.
            "store_argo_pod_annotations": {"sandbox.storefleet.io/exit-code": "1"},
        },
    )
    assert not run.ok
    (message,) = run.failure_messages()
    assert f"store-provision-{FAILING}-" in message
    assert "step validate failed" in message
    (workflow,) = workflows_of(sandbox, FAILING, "store-provision")
    assert workflow["status"]["phase"] == "Failed"
    nodes = workflow["status"]["nodes"].values()
    handler = [n for n in nodes if n["displayName"].startswith("mark-failed")]
    assert handler, "the exit handler did not run"
    # Nothing after the failed node ran: Argo marks the rest Omitted.
    later = [n for n in nodes if n["displayName"] == "record"]
    assert all(n["phase"] == "Omitted" for n in later), later


def test_exit_handler_command_marks_the_store_failed(sandbox: SandboxClient, workdir: Path) -> None:
    (workflow,) = workflows_of(sandbox, FAILING, "store-provision")
    pods = kubectl_json(
        sandbox,
        "-n",
        PLATFORM_NAMESPACE,
        "get",
        "pods",
        "-l",
        f"workflows.argoproj.io/workflow={workflow['metadata']['name']}",
    )["items"]
    handlers = [
        container
        for pod in pods
        for container in pod["spec"]["containers"]
        if container["name"] == "main" and "store_phase=failed" in container["command"]
    ]
    assert handlers, "no exit handler pod kept"
    # The command and environment as Argo's controller filled them in.
    handler = handlers[0]
    # Argo runs the step's command behind its executor: `argoexec emissary -- <command>`.
    command = handler["command"][handler["command"].index("--") + 1 :]
    argv = [str(SANDBOX_INVENTORY) if a == IN_IMAGE_INVENTORY else a for a in command]
    handler_env = {
        item["name"]: item["value"]
        for item in handler["env"]
        if item["name"].startswith("STOREFLEET_") and "value" in item
    }
    assert "validate" in handler_env["STOREFLEET_WORKFLOW_FAILURES"]
    # On the sandbox the failed workflow recorded nothing: record the Store first.
    record = [a.replace("store_phase=failed", "store_phase=record") for a in argv]
    run_node_commands(sandbox, [("record", record)])
    try:
        result = subprocess.run(
            argv,
            cwd=REPO_ROOT,
            env={**environment_for_cli(sandbox), **handler_env},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stdout[-3000:]
        found = store(sandbox, FAILING)
        assert found and found["status"]["phase"] == "Failed", found
        assert found["status"]["message"].startswith("Workflow Failed at validate: ")
    finally:
        cleanup = run_playbook(
            sandbox,
            "storefleet.platform.store_delete",
            workdir / "cleanup",
            {"store_name": FAILING},
        )
        assert cleanup.ok, cleanup.explain()
