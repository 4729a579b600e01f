# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""Filters for the store workflows: the WorkflowTemplates as applied, a workflow's nodes
and failures as printed, and the egress rules that reach only the API server.

Each filter's documentation is in the YAML file of the same name next to this one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible_collections.storefleet.platform.plugins.module_utils import argo_templates


def argo_workflow_template(
    definition, plans, step_image, tolerations=None, node_selector=None, pod_annotations=None
):
    """A WorkflowTemplate of workflows/ with the platform's names, step image and pod
    placement and the request contract's parameters written in."""
    if not isinstance(definition, dict) or definition.get("kind") != "WorkflowTemplate":
        raise AnsibleFilterError("argo_workflow_template expects a WorkflowTemplate")
    return argo_templates.workflow_template(
        definition, plans, step_image, tolerations, node_selector, pod_annotations
    )


def store_workflow_failure(failures, status=""):
    """'Workflow Failed at <step>: <message>' from Argo's {{workflow.failures}}."""
    return argo_templates.workflow_failure(failures, status)


def argo_node_lines(rows):
    """'<node> <phase> (retry n): <message>' for each node row of argo_workflow."""
    return argo_templates.node_lines(rows)


def api_server_egress(endpoints):
    """NetworkPolicy egress rules to the API server's addresses and ports only."""
    try:
        return argo_templates.api_server_egress(endpoints)
    except (KeyError, ValueError) as error:
        raise AnsibleFilterError("cannot tell the API server's addresses: %s" % error) from None


class FilterModule:
    """storefleet.platform workflow filters."""

    def filters(self):
        return {
            "argo_workflow_template": argo_workflow_template,
            "store_workflow_failure": store_workflow_failure,
            "argo_node_lines": argo_node_lines,
            "api_server_egress": api_server_egress,
        }
