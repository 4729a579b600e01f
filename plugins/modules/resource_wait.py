#!/usr/bin/python
# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""Wait, watching, until a store's objects reach a state."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: resource_wait
short_description: Wait, watching, until a store's objects reach a state
version_added: 0.1.0
author: Storefleet maintainers
description:
  - Lists the objects of one kind in a namespace (by label selectors, or by name) and,
    until they satisfy O(until), watches them and lists them again after each change.
  - One module process and one watch for the whole wait, where a C(k8s_info) task with
    C(until) starts a module process every retry; a broken watch (an API server restart)
    is resumed until the deadline.
  - Reads only, so it never reports a change.
options:
  kind:
    description: Kind of the objects.
    type: str
    required: true
    choices: [Job, Deployment, StatefulSet, Pod, Secret]
  namespace:
    description: Namespace of the objects.
    type: str
    required: true
  label_selectors:
    description: Label selectors the objects match, all of them.
    type: list
    elements: str
    default: []
  name:
    description: Name of the one object to wait for, instead of selectors.
    type: str
  until:
    description:
      - C(jobs_finished) - at least one Job not being deleted, and every such Job
        complete or failed (the caller looks at which).
      - C(rolled_out) - at least one Deployment, each with every replica updated and
        available and no old one left, for its current generation.
      - C(ready) - every StatefulSet with every replica ready on its current revision.
      - C(pods_ready) - at least one Pod that no Job owns, and every such Pod not being
        deleted Ready (a Job's pods run to completion; wait for the Job instead).
      - C(absent) - no object matches.
      - C(present) - an object matches; with O(data_key), one whose data holds a
        non-empty value under that key (a Secret).
    type: str
    required: true
    choices: [jobs_finished, rolled_out, ready, pods_ready, absent, present]
  data_key:
    description: With O(until=present), the data key that must hold a value.
    type: str
  timeout:
    description: Most seconds to wait.
    type: int
    default: 600
extends_documentation_fragment:
  - storefleet.platform.k8s_auth
attributes:
  check_mode:
    support: full
    description: Reads only.
notes:
  - On timeout the module fails and still returns the last objects it listed, so a
    following task can say which of them is not there yet.
"""

EXAMPLES = r"""
- name: Wait for the store's bootstrap Job to finish
  storefleet.platform.resource_wait:
    kind: Job
    namespace: store-demo
    label_selectors:
      - app.kubernetes.io/instance=demo-store
      - app.kubernetes.io/component=bootstrap
    until: jobs_finished
    timeout: 900
  register: bootstrap_jobs

- name: Wait for the publishable key
  storefleet.platform.resource_wait:
    kind: Secret
    namespace: store-demo
    name: store-publishable-key
    until: present
    data_key: publishable-key
  no_log: true
"""

RETURN = r"""
resources:
  description: The matching objects as last listed (not being deleted ones included).
  returned: always
  type: list
  elements: dict
waited:
  description: Seconds the wait took.
  returned: always
  type: float
"""

import time

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.storefleet.platform.plugins.module_utils.k8s_client import (
    ApiException,
    api_client,
    api_error,
    auth_arg_spec,
    k8s,
)
from ansible_collections.storefleet.platform.plugins.module_utils.resource_wait import (
    CONDITIONS,
    WaitTimeout,
    has_data_key,
    wait_until,
)

try:
    from kubernetes import watch
except ImportError:  # api_client() reports the missing client
    watch = None

# kind -> (API class, its namespaced list method)
LISTERS = {
    "Job": ("BatchV1Api", "list_namespaced_job"),
    "Deployment": ("AppsV1Api", "list_namespaced_deployment"),
    "StatefulSet": ("AppsV1Api", "list_namespaced_stateful_set"),
    "Pod": ("CoreV1Api", "list_namespaced_pod"),
    "Secret": ("CoreV1Api", "list_namespaced_secret"),
}


# What a timeout message says each condition did not reach.
STATES = {
    "jobs_finished": "finished",
    "rolled_out": "rolled out",
    "ready": "ready",
    "pods_ready": "ready",
    "absent": "gone",
    "present": "present",
}


def argument_spec():
    spec = auth_arg_spec()
    spec.update(
        kind={"type": "str", "required": True, "choices": sorted(LISTERS)},
        namespace={"type": "str", "required": True},
        label_selectors={"type": "list", "elements": "str", "default": []},
        name={"type": "str"},
        until={"type": "str", "required": True, "choices": sorted(CONDITIONS)},
        data_key={"type": "str", "no_log": False},
        timeout={"type": "int", "default": 600},
    )
    return spec


def selection(params):
    """Keyword arguments that pick the objects in a list or watch call."""
    chosen = {}
    if params["label_selectors"]:
        chosen["label_selector"] = ",".join(params["label_selectors"])
    if params["name"]:
        chosen["field_selector"] = "metadata.name=" + params["name"]
    return chosen


def transient(error):
    """Whether a failed list or watch is worth another try: anything but the API server
    refusing the request itself (a 403 does not pass by waiting)."""
    if isinstance(error, ApiException):
        return not (400 <= (error.status or 0) < 500) or error.status in (410, 429)
    return True


def main():
    module = AnsibleModule(
        argument_spec=argument_spec(),
        mutually_exclusive=[("name", "label_selectors")],
        supports_check_mode=True,
    )
    params = module.params
    client = api_client(module)
    api_class, method = LISTERS[params["kind"]]
    list_call = getattr(getattr(k8s, api_class)(client), method)
    namespace, chosen = params["namespace"], selection(params)
    condition = CONDITIONS[params["until"]]
    if params["data_key"]:
        if params["until"] != "present":
            module.fail_json(msg="data_key goes with until=present only")
        condition = has_data_key(params["data_key"])

    def list_objects():
        listing = list_call(namespace, _request_timeout=30, **chosen)
        objects = client.sanitize_for_serialization(listing.items)
        return objects, listing.metadata.resource_version

    def watch_changes(version, seconds):
        # The first event is enough: the objects are listed again whole.
        stream = watch.Watch().stream(
            list_call,
            namespace,
            resource_version=version,
            timeout_seconds=seconds,
            _request_timeout=seconds + 10,
            **chosen,
        )
        for _event in stream:
            break

    started = time.monotonic()
    try:
        objects = wait_until(condition, list_objects, watch_changes, params["timeout"], transient)
    except ApiException as error:
        module.fail_json(msg="cannot read %s: %s" % (params["kind"], api_error(error)))
    except WaitTimeout as timeout:
        module.fail_json(
            msg="%s %s not %s within %d s"
            % (params["kind"], params["name"] or chosen.get("label_selector", ""),
               STATES[params["until"]], params["timeout"]),
            resources=timeout.objects,
            waited=round(time.monotonic() - started, 1),
        )  # fmt: skip
    module.exit_json(changed=False, resources=objects, waited=round(time.monotonic() - started, 1))


if __name__ == "__main__":
    main()
