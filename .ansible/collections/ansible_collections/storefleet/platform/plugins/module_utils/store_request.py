# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""The store request: what a person (or AWX, or the TUI) asks of one store, declared once.

Each field has its role variable, its Argo workflow parameter, its rule and a
description. The store role validates a request with request_errors(), the argo role
renders the WorkflowTemplates' parameters with template_parameters(), the store role
turns a request into workflow parameters with workflow_parameters(), and a workflow
step turns Argo's {{workflow.parameters.json}} back into a request with
request_from_workflow(): values travel as data and are never templated.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import re
from collections import namedtuple

from .image_reference import tag_error
from .naming import store_name_error
from .platform_names import DELETE_TEMPLATE, PROVISION_TEMPLATE

Field = namedtuple("Field", "variable parameter rule description default actions")

CREATE = "create"
DELETE = "delete"
TEMPLATE_ACTIONS = {PROVISION_TEMPLATE: CREATE, DELETE_TEMPLATE: DELETE}
REQUIRED = object()

FIELDS = (
    Field(
        "store_name",
        "store-name",
        "name",
        "Name of the store (a DNS label; the namespace is store-<name>).",
        REQUIRED,
        (CREATE, DELETE),
    ),
    Field(
        "store_plan",
        "plan",
        "plan",
        "Size of the store: one of the store chart's plans.",
        "small",
        (CREATE,),
    ),
    Field(
        "store_seed_demo_data",
        "seed-demo-data",
        "boolean",
        "Load the demo catalogue into a new store's database: true or false.",
        True,
        (CREATE,),
    ),
    Field(
        "store_backend_image_tag",
        "backend-image-tag",
        "tag",
        "Tag of the Medusa backend image; empty keeps the store's current image.",
        "",
        (CREATE,),
    ),
    Field(
        "store_storefront_image_tag",
        "storefront-image-tag",
        "tag",
        "Tag of the storefront image; empty keeps the store's current image.",
        "",
        (CREATE,),
    ),
    Field(
        "store_labels",
        "labels",
        "labels",
        "Labels of the Store object (a JSON object), to group stores: "
        "kubectl get stores -l tier=beta.",
        {},
        (CREATE,),
    ),
)
BY_VARIABLE = dict((field.variable, field) for field in FIELDS)
BY_PARAMETER = dict((field.parameter, field) for field in FIELDS)

# Kubernetes label syntax: a name part (and each value) of at most 63 characters,
# an optional prefix that is a DNS subdomain of at most 253.
LABEL_NAME_MAX = 63
LABEL_PREFIX_MAX = 253
_LABEL_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
# The platform's own labels (and Kubernetes') are not the requester's to set.
RESERVED_LABEL_DOMAINS = ("storefleet.io", "kubernetes.io", "k8s.io")


def fields(action=CREATE):
    """The fields of a request for `action` (create or delete)."""
    return [field for field in FIELDS if action in field.actions]


def _shown(value):
    text = value if isinstance(value, str) else repr(value)
    return repr(text) if len(text) <= 80 else repr(text[:77] + "...")


def boolean(value):
    """True or False from a strict boolean: a bool, or the string 'true' or 'false'."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    raise ValueError("%s is not true or false" % _shown(value))


def boolean_error(value, what):
    try:
        boolean(value)
    except ValueError as error:
        return "%s: %s" % (what, error)
    return ""


def dns_subdomain_error(value, what):
    """'' for a DNS subdomain (a Kubernetes object name), else why not."""
    if (
        isinstance(value, str)
        and len(value) <= LABEL_PREFIX_MAX
        and _DNS_SUBDOMAIN.fullmatch(value)
    ):
        return ""
    return "%s %s is not a DNS subdomain (lowercase a-z, 0-9, '-' and '.')" % (what, _shown(value))


def label_errors(labels, what="store_labels", reserved=True):
    """One message per broken label rule; [] for valid labels. `reserved`: keys under the
    platform's domains are refused (a node selector may name them)."""
    if not isinstance(labels, dict):
        return ["%s must be a mapping of label keys to values, got %s" % (what, _shown(labels))]
    errors = []
    for key, value in labels.items():
        if not isinstance(key, str) or not key:
            errors.append("%s: label key %s must be a non-empty string" % (what, _shown(key)))
            continue
        prefix, slash, name = key.rpartition("/")
        if slash and (len(prefix) > LABEL_PREFIX_MAX or not _DNS_SUBDOMAIN.fullmatch(prefix)):
            errors.append(
                "%s: label key %s has a prefix that is not a DNS subdomain" % (what, _shown(key))
            )
        elif (
            reserved
            and slash
            and any(
                prefix == domain or prefix.endswith("." + domain)
                for domain in RESERVED_LABEL_DOMAINS
            )
        ):
            errors.append(
                "%s: label key %s is reserved: keys under %s belong to the platform"
                % (what, _shown(key), ", ".join(d + "/" for d in RESERVED_LABEL_DOMAINS))
            )
        if len(name) > LABEL_NAME_MAX or not _LABEL_NAME.fullmatch(name):
            errors.append(
                "%s: label key %s must be [prefix/]name with a name of at most 63 letters, "
                "digits, '-', '_' or '.', beginning and ending with a letter or digit"
                % (what, _shown(key))
            )
        if not isinstance(value, str):
            errors.append(
                "%s: the value of label %s must be a string, got %s"
                % (what, _shown(key), _shown(value))
            )
        elif value and (len(value) > LABEL_NAME_MAX or not _LABEL_NAME.fullmatch(value)):
            errors.append(
                "%s: the value of label %s must be empty or at most 63 letters, digits, '-', "
                "'_' or '.', beginning and ending with a letter or digit" % (what, _shown(key))
            )
    return errors


def field_errors(field, value, plans=None):
    """Messages for one field's value; [] when it follows its rule."""
    if field.rule == "name":
        error = store_name_error(value)
        return [error] if error else []
    if field.rule == "plan":
        known = list(plans or ())
        if not isinstance(value, str) or value not in known:
            return [
                "%s: unknown plan %s; the store chart defines %s"
                % (field.variable, _shown(value), ", ".join(known) or "no plans")
            ]
        return []
    if field.rule == "boolean":
        error = boolean_error(value, field.variable)
        return [error] if error else []
    if field.rule == "tag":
        # Empty keeps the store's current image.
        if value == "":
            return []
        error = tag_error(value, field.variable)
        return [error] if error else []
    if field.rule == "labels":
        return label_errors(value, field.variable)
    raise ValueError("unknown rule %r" % field.rule)


def request_errors(request, plans=None, action=CREATE):
    """One message per broken rule of a request ({role variable: value}); [] when valid."""
    if not isinstance(request, dict):
        return ["a store request must be a mapping, got %s" % _shown(request)]
    errors = []
    for field in fields(action):
        if field.variable not in request or request[field.variable] is None:
            if field.default is REQUIRED:
                errors.append("%s is required" % field.variable)
            continue
        errors.extend(field_errors(field, request[field.variable], plans))
    # Fields of another action are left alone (a delete has no use for the plan).
    unknown = sorted(set(request) - set(BY_VARIABLE))
    if unknown:
        errors.append("unknown request fields: %s" % ", ".join(_shown(k) for k in unknown))
    return errors


def _parameter_value(field, value):
    """A request value as the string Argo carries."""
    if field.rule == "boolean":
        return "true" if boolean(value) else "false"
    if field.rule == "labels":
        return json.dumps(value or {}, sort_keys=True, separators=(",", ":"))
    return "" if value is None else str(value)


def workflow_parameters(request, action=CREATE):
    """{Argo parameter: string} for a valid request."""
    parameters = {}
    for field in fields(action):
        value = request.get(field.variable, None if field.default is REQUIRED else field.default)
        parameters[field.parameter] = _parameter_value(field, value)
    return parameters


def template_parameters(action, plans):
    """The `arguments.parameters` of the WorkflowTemplate for `action`."""
    rendered = []
    for field in fields(action):
        parameter = {"name": field.parameter, "description": field.description}
        if field.default is not REQUIRED:
            parameter["value"] = _parameter_value(field, field.default)
        if field.rule == "plan":
            parameter["enum"] = list(plans)
        elif field.rule == "boolean":
            parameter["enum"] = ["true", "false"]
        rendered.append(parameter)
    return rendered


class RequestError(ValueError):
    """Workflow parameters that are not a store request; the message says why."""


def _decoded(text):
    """Argo's JSON list of parameters, decoded once more when it arrives as a JSON string."""
    try:
        value = json.loads(text)
        if isinstance(value, str):
            value = json.loads(value)
    except (TypeError, ValueError) as error:
        raise RequestError("the workflow parameters are not JSON: %s" % error) from None
    if not isinstance(value, list):
        raise RequestError("the workflow parameters must be a JSON list of {name, value}")
    return value


def request_from_workflow(text):
    """{role variable: value} from {{workflow.parameters.json}}; raises RequestError for
    anything that is not exactly the contract's parameters. Values stay plain data: the
    labels are parsed from JSON, everything else is kept as the string Argo passed."""
    request = {}
    for item in _decoded(text):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise RequestError("each workflow parameter must be an object with a name")
        name = item["name"]
        field = BY_PARAMETER.get(name)
        if field is None:
            raise RequestError("unknown workflow parameter %s" % _shown(name))
        if field.variable in request:
            raise RequestError("workflow parameter %s is given twice" % _shown(name))
        value = item.get("value", "")
        if not isinstance(value, str):
            raise RequestError("workflow parameter %s must be a string" % _shown(name))
        if field.rule == "labels":
            try:
                value = json.loads(value) if value else {}
            except ValueError:
                raise RequestError(
                    "workflow parameter labels must be a JSON object, got %s" % _shown(value)
                ) from None
        request[field.variable] = value
    if "store_name" not in request:
        raise RequestError("the workflow parameters name no store (store-name is missing)")
    # A delete workflow carries the name alone: the rest keeps the contract's defaults.
    for field in FIELDS:
        if field.variable not in request:
            request[field.variable] = copy.deepcopy(field.default)
    return request
