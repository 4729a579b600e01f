"""MutatingAdmissionPolicies that make a store's Jobs fail on the simulated nodes: kwok
fails a pod annotated sandbox.storefleet.io/exit-code instead of completing it."""

from __future__ import annotations

import json
from typing import Any

from storefleet_sandbox import SandboxClient

ADMISSION_API = "admissionregistration.k8s.io/v1"


def mutating_policy(group_resource: tuple[str, str], condition: str, patch: str) -> dict:
    """The spec of a MutatingAdmissionPolicy that applies `patch` (a CEL
    ApplyConfiguration) to the objects created of `group_resource` matching `condition`."""
    group, resource = group_resource
    return {
        "failurePolicy": "Fail",
        "reinvocationPolicy": "Never",
        "matchConstraints": {
            "resourceRules": [{"apiGroups": [group], "apiVersions": ["v1"],
                               "operations": ["CREATE"], "resources": [resource]}],
        },
        "matchConditions": [{"name": "selected", "expression": condition}],
        "mutations": [{"patchType": "ApplyConfiguration",
                       "applyConfiguration": {"expression": patch}}],
    }  # fmt: skip


def failing_bootstrap_policies(store: str, image_tag: str = "") -> dict[str, dict[str, Any]]:
    """Policies by name: the bootstrap pods of `store` fail (exit 1), and its bootstrap
    Jobs give up at the first failure instead of after the chart's retries (their
    back-off costs minutes). With `image_tag`, only those of a backend image with that
    tag: a later revision with another image bootstraps as usual."""
    in_store = f"object.metadata.namespace == 'store-{store}'"
    pod_image = job_image = "true"
    if image_tag:
        pod_image = f"object.spec.containers.exists(c, c.image.endsWith(':{image_tag}'))"
        job_image = (
            f"object.spec.template.spec.containers.exists(c, c.image.endsWith(':{image_tag}'))"
        )
    return {
        "test-fail-bootstrap": mutating_policy(
            ("", "pods"),
            f"{in_store} && has(object.metadata.labels) && "
            "object.metadata.labels['app.kubernetes.io/component'] == 'bootstrap' && "
            f"{pod_image}",
            "Object{metadata: Object.metadata{"
            "annotations: {'sandbox.storefleet.io/exit-code': '1'}}}",
        ),
        "test-fail-bootstrap-at-once": mutating_policy(
            ("batch", "jobs"),
            f"{in_store} && object.metadata.name.contains('-bootstrap-') && {job_image}",
            "Object{spec: Object.spec{backoffLimit: 0}}",
        ),
    }


def apply_policies(sandbox: SandboxClient, policies: dict[str, dict[str, Any]]) -> None:
    """Each policy and its binding."""
    for policy_name, spec in policies.items():
        for kind, body in (
            ("MutatingAdmissionPolicy", spec),
            ("MutatingAdmissionPolicyBinding", {"policyName": policy_name}),
        ):
            document = {
                "apiVersion": ADMISSION_API,
                "kind": kind,
                "metadata": {"name": policy_name},
                "spec": body,
            }
            sandbox.kubectl("apply", "-f", "-", input_text=json.dumps(document))


def delete_policies(sandbox: SandboxClient, names: list[str]) -> None:
    sandbox.kubectl(
        "delete", "mutatingadmissionpolicybinding,mutatingadmissionpolicy",
        *names, "--ignore-not-found",
    )  # fmt: skip
