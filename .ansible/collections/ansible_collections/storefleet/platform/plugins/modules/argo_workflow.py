#!/usr/bin/python
# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""Submit an Argo Workflow from a WorkflowTemplate and follow its DAG."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: argo_workflow
short_description: Submit a Workflow from a WorkflowTemplate and follow its DAG
version_added: 0.1.0
author: Storefleet maintainers
description:
  - Without O(name), creates a Workflow that runs the WorkflowTemplate O(template) with
    O(parameters) (always a change). The Workflow carries only the template reference
    and the arguments, as Argo's Strict template referencing requires.
  - For the store templates (C(store-provision), C(store-delete)) the parameters are
    checked against the store request contract first, the plan against the template's
    own list; a bad request fails with every broken rule and submits nothing.
  - With O(wait), polls the Workflow until a DAG node changes state (compared with
    O(known)), the Workflow finishes, or O(timeout) passes, and returns the nodes in
    DAG order. Call it in a loop to print each change as it happens.
  - Does not fail when the Workflow fails; RV(finished), RV(phase) and RV(failure) say so.
options:
  namespace:
    description: Namespace of the WorkflowTemplate and the Workflow.
    type: str
    default: storefleet-system
  template:
    description: Name of the WorkflowTemplate to run; required without O(name).
    type: str
  generate_name:
    description: Prefix of the new Workflow's name; the template name and a dash by default.
    type: str
  labels:
    description: Labels of the new Workflow.
    type: dict
    default: {}
  parameters:
    description: Workflow parameters; values are passed as strings (booleans as true/false).
    type: dict
    default: {}
  name:
    description: Name of an existing Workflow to follow instead of submitting one.
    type: str
  wait:
    description: Wait for a change of a node or the end of the Workflow.
    type: bool
    default: false
  known:
    description:
      - Node states from the previous call (RV(known)); a node whose state differs is a change.
    type: dict
    default: {}
  timeout:
    description: Most seconds this call waits.
    type: int
    default: 60
  poll_interval:
    description: Seconds between two reads of the Workflow.
    type: float
    default: 2
extends_documentation_fragment:
  - storefleet.platform.k8s_auth
attributes:
  check_mode:
    support: partial
    description: Submits nothing in check mode; following an existing Workflow only reads.
"""

EXAMPLES = r"""
- name: Submit the provisioning workflow of store demo
  storefleet.platform.argo_workflow:
    template: store-provision
    generate_name: store-provision-demo-
    labels: {storefleet.io/store: demo}
    parameters: {store-name: demo, plan: small}
  register: submitted

- name: Wait for the next change
  storefleet.platform.argo_workflow:
    name: "{{ submitted.name }}"
    wait: true
    known: "{{ submitted.known }}"
"""

RETURN = r"""
name:
  description: Name of the Workflow.
  returned: success
  type: str
phase:
  description: Phase of the Workflow (Pending, Running, Succeeded, Failed, Error).
  returned: success
  type: str
finished:
  description: Whether the Workflow has finished.
  returned: success
  type: bool
nodes:
  description: The DAG tasks in DAG order, then the exit handler's nodes.
  returned: success
  type: list
  elements: dict
  sample: [{name: validate, phase: Succeeded, message: "", retries: 0}]
updated_nodes:
  description: The rows of RV(nodes) whose state differs from O(known).
  returned: success
  type: list
  elements: dict
known:
  description: Node states to pass as O(known) to the next call.
  returned: success
  type: dict
failure:
  description: Why the Workflow failed (the first failed step and its message); empty otherwise.
  returned: success
  type: str
"""

import json
import time

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.storefleet.platform.plugins.module_utils.argo import (
    ARGO_GROUP,
    ARGO_VERSION,
    WORKFLOW_PLURAL,
    DagError,
    changed_rows,
    dag_task_order,
    entry_dag_tasks,
    failure_message,
    is_finished,
    known_states,
    node_rows,
    parameter_string,
    template_enum,
    workflow_definition,
    workflow_phase,
    workflow_spec,
)
from ansible_collections.storefleet.platform.plugins.module_utils.k8s_client import (
    ApiException,
    api_client,
    api_error,
    auth_arg_spec,
    k8s,
)
from ansible_collections.storefleet.platform.plugins.module_utils.naming import (
    PLATFORM_NAMESPACE,
)
from ansible_collections.storefleet.platform.plugins.module_utils.store_request import (
    BY_PARAMETER,
    TEMPLATE_ACTIONS,
    RequestError,
    request_errors,
    request_from_workflow,
)


def argument_spec():
    spec = auth_arg_spec()
    spec.update(
        namespace={"type": "str", "default": PLATFORM_NAMESPACE},
        template={"type": "str"},
        generate_name={"type": "str"},
        labels={"type": "dict", "default": {}},
        parameters={"type": "dict", "default": {}},
        name={"type": "str"},
        wait={"type": "bool", "default": False},
        known={"type": "dict", "default": {}},
        timeout={"type": "int", "default": 60},
        poll_interval={"type": "float", "default": 2.0},
    )
    return spec


def submit(module, api):
    params = module.params
    definition = workflow_definition(
        params["namespace"],
        params["template"],
        params["generate_name"] or params["template"] + "-",
        params["labels"],
        params["parameters"],
    )
    try:
        template = api.get_namespaced_custom_object(
            ARGO_GROUP, ARGO_VERSION, params["namespace"], "workflowtemplates", params["template"]
        )
    except ApiException as error:
        module.fail_json(
            msg="cannot read WorkflowTemplate %s/%s (is Argo set up? run "
            "storefleet.platform.argo): %s"
            % (params["namespace"], params["template"], api_error(error))
        )
    check_request(module, template)
    if module.check_mode:
        module.exit_json(
            changed=True,
            name="",
            phase="Pending",
            finished=True,
            nodes=[],
            updated_nodes=[],
            known={},
            failure="",
        )
    try:
        workflow = api.create_namespaced_custom_object(
            ARGO_GROUP, ARGO_VERSION, params["namespace"], WORKFLOW_PLURAL, definition
        )
        return workflow, template
    except ApiException as error:
        module.fail_json(
            msg="cannot submit a Workflow from %s: %s" % (params["template"], api_error(error))
        )


def check_request(module, template):
    """Refuse store template parameters that break the request contract."""
    params = module.params
    action = TEMPLATE_ACTIONS.get(params["template"])
    if action is None:
        return
    unknown = sorted(set(params["parameters"]) - set(BY_PARAMETER))
    if unknown:
        module.fail_json(msg="%s takes no parameter %s" % (params["template"], ", ".join(unknown)))
    # The same decoding a step does: the parameters as Argo's JSON list.
    encoded = json.dumps(
        [{"name": k, "value": parameter_string(v)} for k, v in params["parameters"].items()]
    )
    try:
        request = request_from_workflow(encoded)
    except RequestError as error:
        module.fail_json(msg="invalid store request: %s" % error)
    errors = request_errors(request, template_enum(template, "plan"), action)
    if errors:
        module.fail_json(msg="invalid store request: %s" % "; ".join(errors), errors=errors)


def read(module, api, name):
    try:
        return api.get_namespaced_custom_object(
            ARGO_GROUP, ARGO_VERSION, module.params["namespace"], WORKFLOW_PLURAL, name
        )
    except ApiException as error:
        module.fail_json(msg="cannot read Workflow %s: %s" % (name, api_error(error)))


def rows_of(module, workflow, template):
    try:
        order = dag_task_order(entry_dag_tasks(workflow_spec(workflow, template)))
    except DagError as error:
        module.fail_json(
            msg="Workflow %s has an invalid DAG: %s" % (workflow["metadata"]["name"], error)
        )
    return node_rows(workflow, order)


def follow(module, api, name, template=None):
    """Poll until a node changes, the workflow finishes, or the timeout passes."""
    params = module.params
    deadline = time.monotonic() + params["timeout"]
    while True:
        workflow = read(module, api, name)
        rows = rows_of(module, workflow, template)
        changes = changed_rows(rows, params["known"])
        if not params["wait"] or changes or is_finished(workflow) or time.monotonic() >= deadline:
            return workflow, rows, changes
        time.sleep(params["poll_interval"])


def main():
    module = AnsibleModule(
        argument_spec=argument_spec(),
        required_one_of=[("name", "template")],
        supports_check_mode=True,
    )
    api = k8s.CustomObjectsApi(api_client(module))
    changed = False
    name = module.params["name"]
    template = None
    if not name:
        workflow, template = submit(module, api)
        name = workflow["metadata"]["name"]
        changed = True
    workflow, rows, changes = follow(module, api, name, template)
    finished = is_finished(workflow)
    module.exit_json(
        changed=changed,
        name=name,
        phase=workflow_phase(workflow),
        finished=finished,
        nodes=rows,
        updated_nodes=changes,
        known=known_states(rows),
        failure=failure_message(workflow, rows)
        if finished and workflow_phase(workflow) != "Succeeded"
        else "",
    )


if __name__ == "__main__":
    main()
