"""Argo on the sandbox: the argo role installs it (server-side apply, then no change) with
Strict template referencing, the store WorkflowTemplates are applied with the platform's
part written in, the store role follows their DAGs, and each DAG node's step, run as the
store-provisioner image runs it (its inventory, the settings ConfigMap as environment,
the provisioner's token, the request in the environment), really provisions and deletes
a store, and refuses hostile parameters as data.

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
    PlaybookRun,
    api_server_addresses,
    apply_platform,
    assert_not_changed,
    environment_for_cli,
    kubectl_json,
    namespace_exists,
    provisioner_kubeconfig,
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
IMAGE_INVENTORY = REPO_ROOT / "docker" / "store-provisioner" / "inventory"
# The sandbox inventory's registry and tag (inventories/sandbox/group_vars/all/images.yml):
# no release is recorded yet when the argo role first runs.
SANDBOX_STEP_IMAGE = "127.0.0.1:5000/storefleet/store-provisioner:latest"
NODE_LINE = re.compile(
    r"^\s*- '?([a-zA-Z/()0-9-]+)\s+(Pending|Running|Succeeded|Failed|Error)\b", re.M
)


@pytest.fixture(scope="module")
def argo_runs(sandbox: SandboxClient, workdir: Path) -> tuple[PlaybookRun, PlaybookRun]:
    """The platform, then the argo playbook twice."""
    apply_platform(sandbox, workdir)
    first = run_playbook(sandbox, ARGO_PLAYBOOK, workdir / "argo-1")
    assert first.ok, first.explain()
    second = run_playbook(sandbox, ARGO_PLAYBOOK, workdir / "argo-2")
    return first, second


@pytest.fixture(scope="module")
def step_environment(
    sandbox: SandboxClient, argo_runs: tuple[PlaybookRun, PlaybookRun], workdir: Path
) -> dict[str, str]:
    """What a step container's environment holds, but the request and the phase: the
    settings ConfigMap (envFrom) and, as the pod's service account, the provisioner."""
    settings = kubectl_json(
        sandbox, "-n", PLATFORM_NAMESPACE, "get", "configmap", "storefleet-platform-settings"
    )["data"]
    kubeconfig = str(provisioner_kubeconfig(sandbox, workdir / "provisioner.kubeconfig"))
    environment = {**environment_for_cli(sandbox), **settings}
    environment.update(KUBECONFIG=kubeconfig, K8S_AUTH_KUBECONFIG=kubeconfig)
    environment.pop("STOREFLEET_KUBECONFIG", None)
    return environment


def applied_template(sandbox: SandboxClient, name: str) -> dict[str, Any]:
    return kubectl_json(sandbox, "-n", PLATFORM_NAMESPACE, "get", "workflowtemplate", name)


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


def request_of(sandbox: SandboxClient, template_name: str, workflow: dict[str, Any]) -> str:
    """{{workflow.parameters.json}} of a workflow: the template's parameters with the
    submitted values, as Argo's JSON list."""
    given = {p["name"]: p["value"] for p in workflow["spec"]["arguments"]["parameters"]}
    declared = applied_template(sandbox, template_name)["spec"]["arguments"]["parameters"]
    merged = [{**p, "value": given.get(p["name"], p.get("value", ""))} for p in declared]
    return json.dumps(merged)


def run_step(
    sandbox: SandboxClient,
    environment: dict[str, str],
    phase: str,
    request: str,
    extra: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """One step as the image runs it: the step template's own command and environment."""
    steps = {t["name"]: t for t in applied_template(sandbox, "store-steps")["spec"]["templates"]}
    command = steps["phase"]["container"]["command"]
    argv = [str(IMAGE_INVENTORY) if arg == IN_IMAGE_INVENTORY else arg for arg in command]
    return subprocess.run(
        argv,
        cwd=REPO_ROOT,
        env={
            **environment,
            "STOREFLEET_STORE_PHASE": phase,
            "STOREFLEET_STORE_REQUEST": request,
            **(extra or {}),
        },
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def run_node_steps(
    sandbox: SandboxClient, environment: dict[str, str], template_name: str, workflow: dict
) -> list[str]:
    request = request_of(sandbox, template_name, workflow)
    nodes = []
    for task in dag_order(dag_tasks(applied_template(sandbox, template_name))):
        (phase,) = [p["value"] for p in task["arguments"]["parameters"] if p["name"] == "phase"]
        result = run_step(sandbox, environment, phase, request)
        tail = "\n".join(result.stdout.splitlines()[-25:])
        assert result.returncode == 0, f"node {task['name']}:\n{tail}\n{result.stderr}"
        nodes.append(task["name"])
    return nodes


def shown_node_states(run: PlaybookRun) -> list[tuple[str, str]]:
    return NODE_LINE.findall(run.stdout)


def assert_nodes_shown_in_dag_order(run: PlaybookRun, template: dict[str, Any]) -> None:
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
    for verb, resource, namespace in [
        ("create", "workflows.argoproj.io", "argo"),
        # The settings the steps read are the administrator's, not the submitter's.
        ("update", "configmaps/storefleet-platform-settings", PLATFORM_NAMESPACE),
        ("update", "workflowtemplates.argoproj.io", PLATFORM_NAMESPACE),
    ]:
        answer = sandbox.kubectl(
            "auth", "can-i", verb, resource, "-n", namespace, "--as", account, check=False
        )
        assert answer.strip() == "no", (verb, resource, namespace)


def test_controller_runs_only_workflows_that_reference_a_template(
    sandbox: SandboxClient, argo_runs: tuple[PlaybookRun, PlaybookRun]
) -> None:
    config = kubectl_json(
        sandbox, "-n", "argo", "get", "configmap", "workflow-controller-configmap"
    )
    assert yaml.safe_load(config["data"]["workflowRestrictions"]) == {
        "templateReferencing": "Strict"
    }
    inline = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {"generateName": "inline-", "namespace": PLATFORM_NAMESPACE},
        "spec": {
            "entrypoint": "main",
            "serviceAccountName": "storefleet-provisioner",
            "templates": [{"name": "main", "container": {"image": "busybox:1.36",
                                                          "command": ["id"]}}],
        },
    }  # fmt: skip
    name = sandbox.kubectl("create", "-f", "-", "-o", "name", input_text=json.dumps(inline))
    name = name.strip().split("/", 1)[1]
    try:
        workflow = wait_for(
            lambda: (
                found
                if (
                    found := kubectl_json(
                        sandbox, "-n", PLATFORM_NAMESPACE, "get", "workflow", name
                    )
                )
                .get("status", {})
                .get("phase")
                in ("Failed", "Error")
                else None
            ),
            timeout=60,
            what="Argo to refuse the workflow",
        )
        assert "workflowTemplateRef" in workflow["status"].get("message", ""), workflow["status"]
        pods = sandbox.kubectl(
            "-n", PLATFORM_NAMESPACE, "get", "pods", "-l",
            f"workflows.argoproj.io/workflow={name}", "-o", "name",
        )  # fmt: skip
        assert pods.strip() == "", "a refused workflow ran a pod"
    finally:
        sandbox.kubectl("-n", PLATFORM_NAMESPACE, "delete", "workflow", name, "--wait=false")


def test_templates_carry_the_platforms_part(
    sandbox: SandboxClient, argo_runs: tuple[PlaybookRun, PlaybookRun]
) -> None:
    names = sandbox.kubectl("-n", PLATFORM_NAMESPACE, "get", "workflowtemplates", "-o", "name")
    assert set(names.split()) == {
        "workflowtemplate.argoproj.io/store-provision",
        "workflowtemplate.argoproj.io/store-delete",
        "workflowtemplate.argoproj.io/store-steps",
    }
    steps = applied_template(sandbox, "store-steps")["spec"]["templates"]
    assert {step["container"]["image"] for step in steps} == {SANDBOX_STEP_IMAGE}
    provision = applied_template(sandbox, "store-provision")["spec"]
    assert [p["name"] for p in provision["arguments"]["parameters"]] == [
        "store-name", "plan", "seed-demo-data", "backend-image-tag", "storefront-image-tag",
        "labels",
    ]  # fmt: skip
    assert provision["synchronization"]["mutexes"] == [
        {"name": "store-{{workflow.parameters.store-name}}"}
    ]
    settings = kubectl_json(
        sandbox, "-n", PLATFORM_NAMESPACE, "get", "configmap", "storefleet-platform-settings"
    )["data"]
    assert settings["STOREFLEET_DOMAIN"] == "sandbox.127.0.0.1.nip.io"
    assert settings["STOREFLEET_CLUSTER_SIMULATED"] == "true"
    assert settings["STOREFLEET_WORKER_MODE"] == "split"


def test_workflow_pods_reach_only_dns_and_the_api_server(
    sandbox: SandboxClient, argo_runs: tuple[PlaybookRun, PlaybookRun]
) -> None:
    policy = kubectl_json(
        sandbox, "-n", PLATFORM_NAMESPACE, "get", "networkpolicy", "storefleet-workflow-pods"
    )["spec"]
    assert set(policy["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in policy
    dns, api = policy["egress"]
    assert {port["port"] for port in dns["ports"]} == {53}
    assert dns["to"][0]["podSelector"]["matchLabels"] == {"k8s-app": "kube-dns"}
    addresses, ports = api_server_addresses(sandbox)
    assert {peer["ipBlock"]["cidr"] for peer in api["to"]} == {f"{a}/32" for a in addresses}
    assert {port["port"] for port in api["ports"]} == ports


# --- The store role with store_orchestrator argo ------------------------------------


def test_store_create_with_argo_follows_the_dag(
    sandbox: SandboxClient, argo_runs: tuple[PlaybookRun, PlaybookRun], workdir: Path
) -> None:
    run = run_playbook(
        sandbox,
        "storefleet.platform.store_create",
        workdir / "create",
        {"store_name": NAME, "store_orchestrator": "argo", "store_labels": {"tier": "beta"}},
    )
    assert run.ok, run.explain()
    (workflow,) = workflows_of(sandbox, NAME, "store-provision")
    # Argo's controller accepted the template and drove the DAG (kwok ran the steps).
    assert workflow["status"]["phase"] == "Succeeded", workflow["status"].get("message")
    assert workflow["metadata"]["name"].startswith(f"store-provision-{NAME}-")
    assert set(workflow["spec"]) == {"workflowTemplateRef", "arguments"}
    assert_nodes_shown_in_dag_order(run, applied_template(sandbox, "store-provision"))
    # The exit handler runs, but marks nothing on success.
    assert ("onExit", "Succeeded") in shown_node_states(run)


def test_provision_steps_run_as_the_image_runs_them_make_a_ready_store(
    sandbox: SandboxClient, step_environment: dict[str, str]
) -> None:
    (workflow,) = workflows_of(sandbox, NAME, "store-provision")
    nodes = run_node_steps(sandbox, step_environment, "store-provision", workflow)
    assert nodes[:3] == ["validate", "record", "namespace"]
    found = store(sandbox, NAME)
    assert found and found["status"]["phase"] == "Ready", found
    assert found["metadata"]["labels"]["tier"] == "beta"
    wait_for(lambda: running_pods_ready(sandbox, NAME), timeout=120, what="the store pods Ready")


def test_hostile_parameters_stay_data_and_change_nothing(
    sandbox: SandboxClient, step_environment: dict[str, str], workdir: Path
) -> None:
    before = store(sandbox, NAME)
    assert before is not None
    witness = workdir / "pipe-ran"
    pipe = "1.0 store_plan={{ lookup('pipe', 'touch " + str(witness) + "') }}"
    hostile = {
        "tag": [
            {"name": "store-name", "value": NAME},
            {"name": "backend-image-tag", "value": pipe},
        ],
        "name": [{"name": "store-name", "value": f"{NAME} store_phase=delete"}],
    }  # fmt: skip
    for case, parameters in hostile.items():
        for phase in ("validate", "record", "delete"):
            result = run_step(sandbox, step_environment, phase, json.dumps(parameters))
            assert result.returncode != 0, (case, phase)
            assert "Invalid store request" in result.stdout, result.stdout[-2000:]
    assert not witness.exists(), "the pipe lookup ran"
    after = store(sandbox, NAME)
    assert after is not None and namespace_exists(sandbox, NAME)
    assert after["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]
    assert after["spec"]["plan"] == before["spec"]["plan"]


def test_the_submitter_refuses_hostile_parameters(
    sandbox: SandboxClient, argo_runs: tuple[PlaybookRun, PlaybookRun], workdir: Path
) -> None:
    playbook = workdir / "submit-hostile.yml"
    playbook.write_text(
        "- hosts: storefleet_controller\n"
        "  gather_facts: false\n"
        "  tasks:\n"
        "    - name: Submit hostile parameters\n"
        "      storefleet.platform.argo_workflow:\n"
        "        kubeconfig: '{{ storefleet_kubeconfig }}'\n"
        "        template: store-provision\n"
        "        parameters: {store-name: 'x store_phase=delete', backend-image-tag: '1.0 x=y'}\n"
    )
    before = sandbox.kubectl("-n", PLATFORM_NAMESPACE, "get", "workflows", "-o", "name")
    run = run_playbook(sandbox, str(playbook), workdir / "submit-hostile")
    assert not run.ok
    (message,) = run.failure_messages()
    assert message.startswith("invalid store request: store name 'x store_phase=delete'")
    assert "is not a tag" in message
    assert sandbox.kubectl("-n", PLATFORM_NAMESPACE, "get", "workflows", "-o", "name") == before


def test_store_upgrade_refuses_a_store_that_does_not_exist(
    sandbox: SandboxClient, argo_runs: tuple[PlaybookRun, PlaybookRun], workdir: Path
) -> None:
    run = run_playbook(
        sandbox,
        "storefleet.platform.store_upgrade",
        workdir / "upgrade-missing",
        {"store_name": "nosuchstore", "store_orchestrator": "argo"},
    )
    assert not run.ok
    (message,) = run.failure_messages()
    assert "There is no store named nosuchstore" in message
    assert workflows_of(sandbox, "nosuchstore", "store-provision") == []
    assert store(sandbox, "nosuchstore") is None


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
    assert_nodes_shown_in_dag_order(run, applied_template(sandbox, "store-delete"))


def test_delete_steps_run_as_the_image_runs_them_remove_the_store(
    sandbox: SandboxClient, step_environment: dict[str, str]
) -> None:
    (workflow,) = workflows_of(sandbox, NAME, "store-delete")
    run_node_steps(sandbox, step_environment, "store-delete", workflow)
    assert store(sandbox, NAME) is None
    assert not namespace_exists(sandbox, NAME)


@pytest.fixture
def failing_steps(sandbox: SandboxClient, workdir: Path) -> Any:
    """Every step pod asks the sandbox's simulated nodes to fail it (argo role variable
    argo_step_pod_annotations), until the templates are applied again without."""
    annotations = {"argo_step_pod_annotations": {"sandbox.storefleet.io/exit-code": "1"}}
    run = run_playbook(sandbox, ARGO_PLAYBOOK, workdir / "failing", annotations, "argo_templates")
    assert run.ok, run.explain()
    yield
    restored = run_playbook(sandbox, ARGO_PLAYBOOK, workdir / "restored", tags="argo_templates")
    assert restored.ok, restored.explain()


def test_failing_step_runs_the_exit_handler_and_fails_the_play(
    sandbox: SandboxClient,
    argo_runs: tuple[PlaybookRun, PlaybookRun],
    workdir: Path,
    failing_steps: None,
) -> None:
    run = run_playbook(
        sandbox,
        "storefleet.platform.store_create",
        workdir / "failing",
        {"store_name": FAILING, "store_orchestrator": "argo"},
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


def test_exit_handler_step_marks_the_store_failed(
    sandbox: SandboxClient, step_environment: dict[str, str], workdir: Path
) -> None:
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
        if container["name"] == "main"
        and {"name": "STOREFLEET_STORE_PHASE", "value": "failed"} in container.get("env", [])
    ]
    assert handlers, "no exit handler pod kept"
    # The environment as Argo's controller filled it in.
    handler_env = {
        item["name"]: item["value"]
        for item in handlers[0]["env"]
        if item["name"].startswith("STOREFLEET_") and "value" in item
    }
    assert "validate" in handler_env["STOREFLEET_WORKFLOW_FAILURES"]
    request = handler_env.pop("STOREFLEET_STORE_REQUEST")
    # Argo's own {{workflow.parameters.json}}: the list of the workflow's parameters.
    assert {p["name"]: p["value"] for p in json.loads(request)}["store-name"] == FAILING
    # On the sandbox the failed workflow recorded nothing: record the Store first.
    recorded = run_step(sandbox, step_environment, "record", request)
    assert recorded.returncode == 0, recorded.stdout[-3000:]
    try:
        result = run_step(sandbox, step_environment, "failed", request, handler_env)
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
