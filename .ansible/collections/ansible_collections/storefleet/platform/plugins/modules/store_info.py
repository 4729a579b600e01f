#!/usr/bin/python
# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""List stores, or get one, with what is live in their namespaces."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: store_info
short_description: List stores or get one, with phase, URLs, pods, quota use and Helm revision
version_added: 0.1.0
author: Storefleet maintainers
description:
  - Reads the C(stores.storefleet.io) Store objects of the platform namespace and, for
    each, its namespace C(store-<name>) - ready pods, ResourceQuota use and the revision of
    the deployed Helm release (from the labels of Helm's release Secrets; no helm binary).
  - Fails with a clear message when the Store CRD is not installed, which is how the
    store playbooks find out that the platform playbook has not run.
  - What the caller may not read (a viewer cannot list Secrets) comes back as C(null).
  - Read-only; never returns secret values.
options:
  name:
    description: One store's name. Without it, every store is listed.
    type: str
  namespace:
    description: Namespace of the Store objects.
    type: str
    default: storefleet-system
extends_documentation_fragment:
  - storefleet.platform.k8s_auth
attributes:
  check_mode:
    support: full
    description: Read-only; runs the same in check mode.
"""

EXAMPLES = r"""
- name: List every store
  storefleet.platform.store_info:
  register: stores

- name: Get store demo
  storefleet.platform.store_info:
    name: demo
  register: demo

- name: Show whether store demo is ready
  ansible.builtin.debug:
    msg: "{{ demo.stores[0].phase if demo.stores else 'no such store' }}"
"""

RETURN = r"""
stores:
  description: The stores, sorted by name; empty when O(name) does not exist.
  returned: success
  type: list
  elements: dict
  contains:
    name:
      description: Store name.
      type: str
      sample: demo
    namespace:
      description: The store's namespace.
      type: str
      sample: store-demo
    namespace_exists:
      description: Whether the namespace exists (null if the caller may not read it).
      type: bool
    engine:
      description: Commerce engine.
      type: str
      sample: medusa
    plan:
      description: Size plan.
      type: str
      sample: small
    phase:
      description: Phase from the Store status (Pending when none was written yet).
      type: str
      sample: Ready
    message:
      description: Status message.
      type: str
    urls:
      description: Storefront, API and admin URLs.
      type: dict
      sample: {storefront: "http://demo.example.com", api: "http://api.demo.example.com",
               admin: "http://api.demo.example.com/app"}
    workflow:
      description: The Argo Workflow that ran the store's phases, if any.
      type: str
    helm_revision:
      description: Revision of the deployed Helm release, null when none.
      type: int
      sample: 2
    ready_pods:
      description: Ready pods of long-running workloads (finished Job pods left out).
      type: int
      sample: 5
    pods:
      description: Ready and total pods of long-running workloads.
      type: dict
      sample: {ready: 5, total: 5}
    quota:
      description: ResourceQuota use per resource.
      type: dict
      sample: {pods: {used: "5", hard: "9"}}
    conditions:
      description: Status conditions.
      type: list
      elements: dict
    started_at:
      description: When the last provisioning started.
      type: str
    ready_at:
      description: When the store last became ready.
      type: str
    created_at:
      description: When the Store object was created.
      type: str
    generation:
      description: The Store's metadata.generation.
      type: int
    observed_generation:
      description: The generation the status describes.
      type: int
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.storefleet.platform.plugins.module_utils.k8s_client import (
    STORE_CRD,
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
from ansible_collections.storefleet.platform.plugins.module_utils.store_info import (
    NotInstalled,
    describe,
    list_stores,
)


def argument_spec():
    spec = auth_arg_spec()
    spec.update(
        name={"type": "str"},
        namespace={"type": "str", "default": PLATFORM_NAMESPACE},
    )
    return spec


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    name = module.params["name"]
    if name is not None:
        error = store_name_error(name)
        if error:
            module.fail_json(msg=error)
    client = api_client(module)
    try:
        stores = list_stores(k8s.CustomObjectsApi(client), module.params["namespace"], name)
        core = k8s.CoreV1Api(client)
        described = [describe(store, core) for store in stores]
    except NotInstalled:
        module.fail_json(
            msg="the Store CRD %s is not installed on this cluster: run the "
            "storefleet.platform.platform playbook first" % STORE_CRD
        )
    except ApiException as error:
        module.fail_json(msg="cannot read stores: %s" % api_error(error))
    module.exit_json(changed=False, stores=described)


if __name__ == "__main__":
    main()
