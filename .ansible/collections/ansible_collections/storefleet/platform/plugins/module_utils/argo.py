# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""Argo Workflows as the store role sees them: a DAG's nodes in order, their states,
what changed since the last look and why a workflow failed.

Pure functions over Workflow objects (dicts), so they are tested without a cluster.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

ARGO_GROUP = "argoproj.io"
ARGO_VERSION = "v1alpha1"
WORKFLOW_PLURAL = "workflows"

PENDING_STATE = "Pending/0"
FINISHED_PHASES = ("Succeeded", "Failed", "Error")
FAILED_NODE_PHASES = ("Failed", "Error")
# Argo names the exit handler's node "<workflow>.onExit".
EXIT_HANDLER_SUFFIX = ".onExit"


class DagError(ValueError):
    """A DAG that cannot run: an unknown dependency or a cycle."""


def dag_task_order(tasks):
    """Task names in an order that respects `dependencies` (declaration order breaks ties)."""
    names = [task["name"] for task in tasks]
    needs = {}
    for task in tasks:
        deps = list(task.get("dependencies") or [])
        unknown = [dep for dep in deps if dep not in names]
        if unknown:
            raise DagError("task %s depends on unknown %s" % (task["name"], ", ".join(unknown)))
        needs[task["name"]] = set(deps)
    order = []
    while len(order) < len(names):
        ready = [name for name in names if name not in order and needs[name] <= set(order)]
        if not ready:
            stuck = [name for name in names if name not in order]
            raise DagError("cycle among tasks %s" % ", ".join(stuck))
        order.append(ready[0])
    return order


def workflow_spec(workflow, template=None):
    """The spec the controller runs: the stored template merged in, else the workflow's
    own, else (before the controller has seen the workflow) its WorkflowTemplate's."""
    status = workflow.get("status") or {}
    spec = status.get("storedWorkflowTemplateSpec") or workflow.get("spec") or {}
    if not entry_dag_tasks(spec) and template:
        return template.get("spec") or {}
    return spec


def entry_dag_tasks(spec):
    """The DAG tasks of the spec's entrypoint template ([] when it is not a DAG)."""
    for template in spec.get("templates") or []:
        if template.get("name") == spec.get("entrypoint"):
            return list((template.get("dag") or {}).get("tasks") or [])
    return []


def node_rows(workflow, task_order=None):
    """One row per DAG task in DAG order, then the exit handler's nodes.

    A row: name, phase (Pending until the controller creates the node), message and
    retries (attempts after the first)."""
    nodes = (workflow.get("status") or {}).get("nodes") or {}
    by_name = {}
    for node in nodes.values():
        if node.get("type") in ("Pod", "Retry", "Skipped", "Suspend"):
            # A retried task: the Retry node carries the task name, its pods "name(0)".
            by_name.setdefault(node.get("displayName"), node)
            if node.get("type") == "Retry":
                by_name[node.get("displayName")] = node
    if task_order is None:
        task_order = dag_task_order(entry_dag_tasks(workflow_spec(workflow)))
    rows = []
    for name in task_order:
        node = by_name.get(name) or {}
        rows.append(_row(name, node, nodes))
    for node in sorted(nodes.values(), key=lambda n: (n.get("startedAt") or "", n.get("id"))):
        display = node.get("displayName") or ""
        if display.endswith(EXIT_HANDLER_SUFFIX):
            rows.append(_row("onExit", node, nodes))
            for child_id in node.get("children") or []:
                for step in _descendant_pods(nodes, child_id):
                    rows.append(_row("onExit/" + step.get("displayName", "?"), step, nodes))
    return rows


def _descendant_pods(nodes, node_id, seen=None):
    seen = seen if seen is not None else set()
    if node_id in seen or node_id not in nodes:
        return []
    seen.add(node_id)
    node = nodes[node_id]
    if node.get("type") == "Pod":
        return [node]
    found = []
    for child in node.get("children") or []:
        found.extend(_descendant_pods(nodes, child, seen))
    return found


def _row(name, node, nodes):
    retries = 0
    if node.get("type") == "Retry":
        retries = max(len(node.get("children") or []) - 1, 0)
    return {
        "name": name,
        "phase": node.get("phase") or "Pending",
        "message": node.get("message") or "",
        "retries": retries,
    }


def changed_rows(rows, known):
    """Rows whose phase or retry count differs from `known` ({name: "phase/retries"});
    a node not known yet counts as Pending, so a Pending node is no news."""
    return [row for row in rows if known.get(row["name"], PENDING_STATE) != row_state(row)]


def row_state(row):
    return "%s/%s" % (row["phase"], row["retries"])


def known_states(rows):
    return dict((row["name"], row_state(row)) for row in rows)


def workflow_phase(workflow):
    return (workflow.get("status") or {}).get("phase") or "Pending"


def is_finished(workflow):
    return workflow_phase(workflow) in FINISHED_PHASES


def failure_message(workflow, rows):
    """Why the workflow failed: the first failed DAG step in DAG order, with its message."""
    for row in rows:
        if row["phase"] in FAILED_NODE_PHASES and not row["name"].startswith("onExit"):
            return "step %s %s: %s" % (
                row["name"],
                row["phase"].lower(),
                row["message"] or "no message",
            )
    message = (workflow.get("status") or {}).get("message")
    return "workflow %s: %s" % (workflow_phase(workflow).lower(), message or "no message")


def workflow_definition(namespace, template, generate_name, labels, parameters):
    """A Workflow that runs WorkflowTemplate `template` with string parameters: only a
    workflowTemplateRef and arguments, all that Argo's Strict template referencing allows
    a submission to bring."""
    return {
        "apiVersion": "%s/%s" % (ARGO_GROUP, ARGO_VERSION),
        "kind": "Workflow",
        "metadata": {
            "generateName": generate_name,
            "namespace": namespace,
            "labels": dict(labels or {}),
        },
        "spec": {
            "workflowTemplateRef": {"name": template},
            "arguments": {
                "parameters": [
                    {"name": key, "value": parameter_string(value)}
                    for key, value in sorted(parameters.items())
                ]
            },
        },
    }


def template_enum(template, parameter):
    """The allowed values the WorkflowTemplate declares for `parameter` ([] for any)."""
    arguments = ((template or {}).get("spec") or {}).get("arguments") or {}
    for declared in arguments.get("parameters") or []:
        if declared.get("name") == parameter:
            return list(declared.get("enum") or [])
    return []


def parameter_string(value):
    """A parameter value as Argo carries it: a string, booleans as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
