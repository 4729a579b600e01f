"""The shape of each kind of AWX object, from AWX's OPTIONS responses or its API schema."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from tests.awx_server import recorded

ENCRYPTED = "$encrypted$"
PAGE_SIZE = 25
MAX_PAGE_SIZE = 200

# Foreign keys: field -> the kind it points to.
FOREIGN_KEYS = {
    "organization": "organizations",
    "inventory": "inventories",
    "project": "projects",
    "source_project": "projects",
    "credential_type": "credential_types",
    "credential": "credentials",
    "webhook_credential": "credentials",
    "signature_validation_credential": "credentials",
    "execution_environment": "execution_environments",
    "default_environment": "execution_environments",
    "workflow_job_template": "workflow_job_templates",
    "job_template": "job_templates",
}
# Sub-lists that attach objects, and the kind they hold.
ATTACHABLE = {
    "credentials": "credentials",
    "galaxy_credentials": "credentials",
    "labels": "labels",
    "instance_groups": "instance_groups",
    "success_nodes": "workflow_job_template_nodes",
    "failure_nodes": "workflow_job_template_nodes",
    "always_nodes": "workflow_job_template_nodes",
    "teams": "teams",
    "users": "users",
}
# Related links of kinds no recorded object shows.
SUBLISTS = {
    "inventory_sources": ("update", "inventory_updates", "schedules", "credentials"),
    "workflow_job_template_nodes": (
        "success_nodes",
        "failure_nodes",
        "always_nodes",
        "credentials",
        "labels",
        "instance_groups",
    ),
    "project_updates": ("cancel", "events", "stdout"),
}
# Kinds whose objects come from the recorded GET list of the same name.
RECORDED_KINDS = (
    "organizations",
    "teams",
    "credential_types",
    "credentials",
    "execution_environments",
    "projects",
    "inventories",
    "job_templates",
    "workflow_job_templates",
)
UNIFIED_KINDS = ("job_templates", "workflow_job_templates", "projects", "inventory_sources")
# What AWX sets on an object it creates, where the recorded example says otherwise.
COMPUTED = {
    "job_templates": {"status": "never updated", "last_job_run": None, "last_job_failed": False},
    "workflow_job_templates": {"status": "never updated", "last_job_run": None},
    "projects": {"status": "successful", "scm_revision": "", "last_job_run": None},
    "inventory_sources": {"status": "never updated", "last_job_run": None},
    "credential_types": {"managed": False, "namespace": None},
    "credentials": {"managed": False},
    "execution_environments": {"managed": False},
}
FINISHED = ("successful", "failed", "error", "canceled")


@dataclass
class KindSchema:
    """Fields of one kind, from AWX's OPTIONS response or, failing that, the schema."""

    name: str
    type: str
    fields: list[str]
    writable: dict[str, dict[str, Any]]
    filterable: set[str]
    template: dict[str, Any] | None = None

    def default(self, name: str) -> Any:
        spec = self.writable.get(name, {})
        if "default" in spec:
            return copy.deepcopy(spec["default"])
        if spec.get("type") in ("boolean",):
            return False
        if spec.get("type") in ("string", "choice") and name not in FOREIGN_KEYS:
            return ""
        return None


def kind_schema(kind: str) -> KindSchema:
    paths = recorded.swagger()["paths"]
    definitions = recorded.swagger()["definitions"]
    listing = paths[f"/api/{{version}}/{kind}/"]["get"]["responses"]["200"]["schema"]
    ref = listing["properties"]["results"]["items"]["$ref"].rsplit("/", 1)[-1]
    properties: dict[str, Any] = definitions[ref]["properties"]
    options = recorded.options(kind)
    template = None
    if kind in RECORDED_KINDS:
        template = recorded.get(kind)["results"][0]
    if options:
        get_fields = options["actions"]["GET"]
        post_fields = options["actions"].get("POST", {})
        return KindSchema(
            kind,
            get_fields["type"]["choices"][0][0],
            list(get_fields),
            dict(post_fields),
            {name for name, spec in get_fields.items() if spec.get("filterable")},
            template,
        )
    writable = {}
    for name, spec in properties.items():
        if spec.get("readOnly"):
            continue
        kind_of = {"boolean": "boolean", "integer": "integer"}.get(spec.get("type", ""), "string")
        if name in FOREIGN_KEYS:
            kind_of = "id"
        entry: dict[str, Any] = {"type": kind_of}
        if "default" in spec:
            entry["default"] = spec["default"]
        if "enum" in spec:
            entry["choices"] = [[value, value] for value in spec["enum"]]
        writable[name] = entry
    singular = {"inventory_sources": "inventory_source", "project_updates": "project_update"}
    return KindSchema(
        kind,
        singular.get(kind, kind.removesuffix("s")),
        list(properties),
        writable,
        set(properties) - {"related", "summary_fields", "url"},
        template,
    )
