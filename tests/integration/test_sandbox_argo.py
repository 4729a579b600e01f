"""Argo Workflows on the sandbox: the upstream install applies, the controller runs a DAG."""

from __future__ import annotations

import json

import pytest

from storefleet_sandbox import SandboxClient
from tests.shared import ARGO_INSTALL_MANIFEST as ARGO_INSTALL
from tests.waiting import wait_for

pytestmark = pytest.mark.sandbox


# A WorkflowTemplate and a Workflow that references it: the argo role sets the
# controller's templateReferencing to Strict, which runs nothing else.
THREE_STEP_TEMPLATE = {
    "apiVersion": "argoproj.io/v1alpha1",
    "kind": "WorkflowTemplate",
    "metadata": {"name": "three-steps", "namespace": "argo"},
    "spec": {
        "entrypoint": "main",
        "templates": [
            {
                "name": "main",
                "dag": {
                    "tasks": [
                        {"name": "first", "template": "step"},
                        {"name": "second", "template": "step", "dependencies": ["first"]},
                        {"name": "third", "template": "step", "dependencies": ["second"]},
                    ]
                },
            },
            {
                "name": "step",
                "container": {"image": "registry.invalid/step:1", "command": ["true"]},
            },
        ],
    },
}
THREE_STEP_DAG = {
    "apiVersion": "argoproj.io/v1alpha1",
    "kind": "Workflow",
    "metadata": {"name": "three-steps", "namespace": "argo"},
    "spec": {"workflowTemplateRef": {"name": "three-steps"}},
}


@pytest.fixture(scope="module")
def argo(sandbox: SandboxClient) -> SandboxClient:
    """Argo installed from the upstream manifest, by server-side apply."""
    assert ARGO_INSTALL.is_file(), f"missing vendored manifest {ARGO_INSTALL}"
    # The upstream manifest installs into namespace argo but does not create it.
    argo_namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "argo"}}
    sandbox.kubectl("apply", "-f", "-", input_text=json.dumps(argo_namespace))
    sandbox.kubectl(
        # --force-conflicts: the argo role may have applied it already as another manager.
        "apply",
        "--server-side",
        "--force-conflicts",
        "--field-manager=storefleet-tests",
        "-f",
        str(ARGO_INSTALL),
    )
    sandbox.kubectl("wait", "--for=condition=Established", "crd/workflows.argoproj.io")
    sandbox.wait_for_argo_controller(timeout=60)
    return sandbox


def test_install_manifest_applies_with_server_side_apply(argo: SandboxClient) -> None:
    crd = json.loads(
        argo.kubectl("get", "crd", "workflows.argoproj.io", "--show-managed-fields", "-o", "json")
    )
    managers = {entry["manager"] for entry in crd["metadata"]["managedFields"]}
    assert "storefleet-tests" in managers
    # The full CRD schema is there (it is what client-side apply cannot carry).
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    assert "templates" in schema["properties"]["spec"]["properties"]
    argo.kubectl("-n", "argo", "rollout", "status", "deployment/workflow-controller")


def test_three_step_dag_succeeds(argo: SandboxClient) -> None:
    argo.kubectl("apply", "-f", "-", input_text=json.dumps(THREE_STEP_TEMPLATE))
    argo.kubectl("create", "-f", "-", input_text=json.dumps(THREE_STEP_DAG))

    def finished() -> dict | None:
        workflow = json.loads(
            argo.kubectl("-n", "argo", "get", "workflow", "three-steps", "-o", "json")
        )
        phase = workflow.get("status", {}).get("phase")
        return workflow if phase in ("Succeeded", "Failed", "Error") else None

    workflow = wait_for(finished, timeout=240, what="the DAG workflow to finish")
    assert workflow["status"]["phase"] == "Succeeded", workflow["status"].get("message")
    pods = [n for n in workflow["status"]["nodes"].values() if n["type"] == "Pod"]
    assert sorted(n["displayName"] for n in pods) == ["first", "second", "third"]
    assert all(n["phase"] == "Succeeded" for n in pods)
    finished_at = {n["displayName"]: n["finishedAt"] for n in pods}
    started_at = {n["displayName"]: n["startedAt"] for n in pods}
    # DAG order: each step starts after its dependency finished.
    assert started_at["second"] >= finished_at["first"]
    assert started_at["third"] >= finished_at["second"]
