# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""The store WorkflowTemplates as the argo role applies them, and what a workflow says
back: the files in workflows/ hold the DAGs and the steps; what the platform decides
(its names, the step image and pod placement, the parameters of the request contract)
is written in here, so it is declared once.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import ipaddress
import json

from .platform_names import (
    LOCK_PREFIX,
    NAMESPACE,
    PROVISIONER,
    SEMAPHORE_CONFIGMAP,
    SEMAPHORE_KEY,
    SETTINGS_CONFIGMAP,
)
from .store_request import TEMPLATE_ACTIONS, template_parameters

LABELS = {"app.kubernetes.io/managed-by": "storefleet", "app.kubernetes.io/part-of": "storefleet"}
# A step knows its own image: the report step records it in the Store's appliedRequest.
STEP_IMAGE_ENV = "STOREFLEET_STEP_IMAGE"
# The exit handler's own node: not a failure of the store's phases.
EXIT_STEP_TEMPLATE = "mark-failed"


def workflow_template(
    definition, plans, step_image, tolerations=None, node_selector=None, pod_annotations=None
):
    """`definition` (a WorkflowTemplate from workflows/) with the platform's part filled in."""
    rendered = copy.deepcopy(definition)
    metadata = rendered.setdefault("metadata", {})
    metadata["namespace"] = NAMESPACE
    metadata["labels"] = dict(LABELS, **(metadata.get("labels") or {}))
    spec = rendered.setdefault("spec", {})
    spec["serviceAccountName"] = PROVISIONER
    action = TEMPLATE_ACTIONS.get(metadata.get("name"))
    if action is not None:
        spec["arguments"] = {"parameters": template_parameters(action, plans)}
        spec["synchronization"] = {
            # How many store workflows run at once, and one at a time per store.
            "semaphores": [
                {"configMapKeyRef": {"name": SEMAPHORE_CONFIGMAP, "key": SEMAPHORE_KEY}}
            ],
            "mutexes": [{"name": LOCK_PREFIX + "{{workflow.parameters.store-name}}"}],
        }
    for template in spec.get("templates") or []:
        container = template.get("container")
        if container is None:
            continue
        container["image"] = step_image
        container["envFrom"] = [{"configMapRef": {"name": SETTINGS_CONFIGMAP}}]
        # Templates may share one container (a YAML alias): set the variable once.
        env = [e for e in container.get("env") or [] if e.get("name") != STEP_IMAGE_ENV]
        container["env"] = [*env, {"name": STEP_IMAGE_ENV, "value": step_image}]
        if tolerations:
            template["tolerations"] = list(tolerations)
        if node_selector:
            template["nodeSelector"] = dict(node_selector)
        if pod_annotations:
            template.setdefault("metadata", {})["annotations"] = dict(
                (str(key), str(value)) for key, value in pod_annotations.items()
            )
    return rendered


def _decoded(text):
    """A JSON value Argo may have encoded once more, as a JSON string; None if not JSON."""
    try:
        value = json.loads(text)
        if isinstance(value, str):
            value = json.loads(value)
    except (TypeError, ValueError):
        return None
    return value


def workflow_failure(failures, status=""):
    """The exit handler's account of a failed workflow, from {{workflow.failures}}:
    'Workflow <status> at <step>: <message>; ...' (the DAG's own node, which has no
    message, and earlier attempts of the exit handler itself are left out)."""
    nodes = _decoded(failures) if isinstance(failures, str) else failures
    lines = []
    for node in nodes if isinstance(nodes, list) else []:
        if not isinstance(node, dict) or not node.get("message"):
            continue
        # Steps from store-steps are templateRefs: Argo may leave templateName empty, so
        # the exit handler's attempts are told by their step name too ("mark-failed(1)").
        display = node.get("displayName") or ""
        if node.get("templateName") == EXIT_STEP_TEMPLATE or display.split("(")[0] == (
            EXIT_STEP_TEMPLATE
        ):
            continue
        lines.append("%s: %s" % (node.get("displayName") or "?", node["message"]))
    text = "Workflow %s" % (status or "Failed")
    return text + (" at " + "; ".join(lines) if lines else "")


def node_lines(rows):
    """One line per workflow node row: name, phase, retries and message."""
    lines = []
    for row in rows:
        line = "%-12s %s" % (row.get("name", "?"), row.get("phase", "Pending"))
        if row.get("retries"):
            line += " (retry %d)" % row["retries"]
        if row.get("message"):
            line += ": %s" % row["message"]
        lines.append(line)
    return lines


def endpoints_from_slices(endpoint_slices):
    """{'addresses': [...], 'ports': [...]} of the `kubernetes` EndpointSlices: the API
    server's own addresses (ready ones) and ports."""
    addresses = []
    ports = []
    for endpoint_slice in endpoint_slices or []:
        for endpoint in endpoint_slice.get("endpoints") or []:
            if (endpoint.get("conditions") or {}).get("ready") is False:
                continue
            for address in endpoint.get("addresses") or []:
                if address not in addresses:
                    addresses.append(address)
        for port in endpoint_slice.get("ports") or []:
            entry = {"protocol": port.get("protocol") or "TCP", "port": port["port"]}
            if entry not in ports:
                ports.append(entry)
    return {"addresses": addresses, "ports": ports}


def api_server_egress(endpoints):
    """NetworkPolicy egress rules that reach only the API server: one ipBlock per address
    (/32, or /128 for IPv6) with the API server's ports. Policies see traffic after the
    Service's address is translated, so the endpoints' own addresses and ports count."""
    if isinstance(endpoints, list):
        endpoints = endpoints_from_slices(endpoints)
    cidrs = []
    for address in endpoints.get("addresses") or []:
        ip = ipaddress.ip_address(address)
        cidrs.append("%s/%d" % (ip, ip.max_prefixlen))
    ports = [
        {"protocol": port.get("protocol") or "TCP", "port": int(port["port"])}
        for port in endpoints.get("ports") or []
    ]
    if not cidrs or not ports:
        raise ValueError("no API server address or port is known")
    return [{"to": [{"ipBlock": {"cidr": cidr}} for cidr in cidrs], "ports": ports}]
