#!/usr/bin/python
# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""Take or give back the one-writer lock of a store (a coordination.k8s.io Lease)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: store_lock
short_description: Take or give back the one-writer lock of a store
version_added: 0.1.0
author: Storefleet maintainers
description:
  - A run that changes a store holds the Lease C(store-<name>) in the platform namespace
    for its whole length, so two runs on one store never interleave (the Argo store
    workflows hold an Argo mutex of the same name instead).
  - With O(state=acquired), creates the Lease, or takes it over when it is free, already
    this holder's, or expired. A Lease held by another live run is waited for up to
    O(wait) seconds, then the module fails naming the holder and when its claim expires.
  - The claim lasts O(duration) seconds, sized to the longest run, so a run that crashed
    blocks the store for at most that long; a run on the same host takes it over at once
    when the holder's ansible-playbook process has ended (cancelled or killed).
  - With O(state=released), deletes the Lease when O(holder) holds it; anything else is
    left alone.
  - A lock leaves nothing behind once released, so the module never reports a change.
options:
  name:
    description: The store name.
    type: str
    required: true
  namespace:
    description: Namespace of the Lease (the platform namespace).
    type: str
    default: storefleet-system
  state:
    description: Take the lock or give it back.
    type: str
    choices: [acquired, released]
    default: acquired
  holder:
    description:
      - Identity of the holder. Required with O(state=released); with O(state=acquired) a
        new identity (user, host and a random part) is made when left out.
    type: str
  duration:
    description: Seconds the claim lasts from the moment it is taken.
    type: int
    default: 3600
  wait:
    description: Most seconds to wait for a lock that another run holds.
    type: int
    default: 300
  poll_interval:
    description: Seconds between two looks at a busy lock.
    type: float
    default: 2
extends_documentation_fragment:
  - storefleet.platform.k8s_auth
attributes:
  check_mode:
    support: none
    description: A check run takes no lock.
"""

EXAMPLES = r"""
- name: Take the lock of store demo
  storefleet.platform.store_lock:
    name: demo
    duration: 3000
  register: lock

- name: Give the lock back
  storefleet.platform.store_lock:
    name: demo
    state: released
    holder: "{{ lock.holder }}"
"""

RETURN = r"""
holder:
  description: Identity of the holder (pass it to O(state=released)).
  returned: success
  type: str
lease:
  description: Name of the Lease.
  returned: success
  type: str
waited:
  description: Seconds spent waiting for another run's lock.
  returned: success
  type: float
"""

import datetime
import getpass
import json
import os
import socket
import time
import uuid

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.storefleet.platform.plugins.module_utils.k8s_client import (
    ApiException,
    api_client,
    api_error,
    auth_arg_spec,
    k8s,
)
from ansible_collections.storefleet.platform.plugins.module_utils.naming import (
    PLATFORM_NAMESPACE,
    store_name_error,
)
from ansible_collections.storefleet.platform.plugins.module_utils.platform_names import (
    lock_name,
)
from ansible_collections.storefleet.platform.plugins.module_utils.store_lock import (
    busy_message,
    holder_controller,
    holder_identity,
    lease_body,
    may_take,
)


def argument_spec():
    spec = auth_arg_spec()
    spec.update(
        name={"type": "str", "required": True},
        namespace={"type": "str", "default": PLATFORM_NAMESPACE},
        state={"type": "str", "choices": ["acquired", "released"], "default": "acquired"},
        holder={"type": "str"},
        duration={"type": "int", "default": 3600},
        wait={"type": "int", "default": 300},
        poll_interval={"type": "float", "default": 2.0},
    )
    return spec


def new_holder():
    """Who runs this: user and host (a pod's name in a pod), the play's ansible-playbook
    process and a part of its own."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "uid-unknown"
    return holder_identity(user, socket.gethostname(), controller_pid(), uuid.uuid4().hex[:12])


def is_controller(pid):
    """Whether process `pid` runs ansible-playbook (a reused pid runs something else)."""
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as cmdline:
            return b"ansible-playbook" in cmdline.read()
    except OSError:
        return False


def parent_of(pid):
    try:
        with open("/proc/%d/stat" % pid) as stat:
            # pid (comm) state ppid ...: comm may hold spaces and parentheses.
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def controller_pid():
    """The ansible-playbook process of this play: the outermost ancestor running it (its
    task workers are forks of it). 0 when there is none to find."""
    pid, found = os.getppid(), 0
    while pid > 1:
        if is_controller(pid):
            found = pid
        pid = parent_of(pid)
    return found


def controller_gone(holder):
    """Whether `holder` ran on this host and its ansible-playbook process has ended."""
    controller = holder_controller(holder)
    if controller is None:
        return False
    host, pid = controller
    return host == socket.gethostname() and pid > 0 and not is_controller(pid)


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def read_lease(module, api, namespace, name):
    """The Lease as a dict, or None when there is none."""
    try:
        response = api.read_namespaced_lease(name, namespace, _preload_content=False)
    except ApiException as error:
        if error.status == 404:
            return None
        module.fail_json(msg="cannot read Lease %s/%s: %s" % (namespace, name, api_error(error)))
    return json.loads(response.data)


def acquire(module, api):
    params = module.params
    store, namespace = params["name"], params["namespace"]
    holder = params["holder"] or new_holder()
    name = lock_name(store)
    started = time.monotonic()
    deadline = started + max(params["wait"], 0)
    while True:
        lease = read_lease(module, api, namespace, name)
        spec = (lease or {}).get("spec") or {}
        moment = now()
        if lease is None or may_take(spec, holder, moment, controller_gone):
            body = lease_body(
                store,
                namespace,
                holder,
                params["duration"],
                moment,
                resource_version=lease["metadata"]["resourceVersion"] if lease else None,
            )
            try:
                if lease is None:
                    api.create_namespaced_lease(namespace, body)
                else:
                    api.replace_namespaced_lease(name, namespace, body)
                return holder, time.monotonic() - started
            except ApiException as error:
                # 409: another run created or took it between our read and write.
                if error.status != 409:
                    module.fail_json(
                        msg="cannot take Lease %s/%s: %s" % (namespace, name, api_error(error))
                    )
                continue
        if time.monotonic() >= deadline:
            module.fail_json(msg=busy_message(store, namespace, spec))
        time.sleep(params["poll_interval"])


def release(module, api):
    params = module.params
    namespace, name = params["namespace"], lock_name(params["name"])
    if not params["holder"]:
        module.fail_json(msg="holder is required to release a lock")
    lease = read_lease(module, api, namespace, name)
    if lease is None or (lease.get("spec") or {}).get("holderIdentity") != params["holder"]:
        return
    options = k8s.V1DeleteOptions(
        preconditions=k8s.V1Preconditions(resource_version=lease["metadata"]["resourceVersion"])
    )
    try:
        api.delete_namespaced_lease(name, namespace, body=options)
    except ApiException as error:
        # Gone or taken over since we read it: it is not ours to delete any more.
        if error.status not in (404, 409):
            module.fail_json(
                msg="cannot release Lease %s/%s: %s" % (namespace, name, api_error(error))
            )


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=False)
    error = store_name_error(module.params["name"])
    if error:
        module.fail_json(msg=error)
    api = k8s.CoordinationV1Api(api_client(module))
    name = lock_name(module.params["name"])
    if module.params["state"] == "acquired":
        holder, waited = acquire(module, api)
        module.exit_json(changed=False, holder=holder, lease=name, waited=round(waited, 1))
    release(module, api)
    module.exit_json(changed=False, holder=module.params["holder"], lease=name, waited=0.0)


if __name__ == "__main__":
    main()
