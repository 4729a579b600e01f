#!/usr/bin/python
# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""Write the status of a Store object."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: store_status
short_description: Set the phase, message and URLs of a Store
version_added: 0.1.0
author: Storefleet maintainers
description:
  - Updates the C(status) subresource of a C(stores.storefleet.io) Store object in the
    platform namespace, the way every phase runner (Ansible, an Argo step, AWX) reports.
  - Keeps C(status.namespace), C(status.observedGeneration) and the C(Ready) condition
    consistent; sets C(startedAt) when the phase turns C(Provisioning) and C(readyAt)
    when it turns C(Ready).
  - Reports C(changed) only when the status differs; options left out keep their value.
options:
  name:
    description: The store name, which is also the Store object's name.
    type: str
    required: true
  namespace:
    description: Namespace of the Store objects.
    type: str
    default: storefleet-system
  phase:
    description: The store's phase.
    type: str
    choices: [Pending, Provisioning, Ready, Failed, Deleting]
  message:
    description: A short human-readable account of the phase. Never put a secret here.
    type: str
  urls:
    description: Public URLs of the store.
    type: dict
    suboptions:
      storefront:
        description: Storefront URL.
        type: str
      api:
        description: Medusa API URL.
        type: str
      admin:
        description: Admin dashboard URL.
        type: str
  workflow:
    description: Name of the Argo Workflow running the store's phases.
    type: str
  helm_revision:
    description: Revision of the store's Helm release.
    type: int
  applied_request:
    description:
      - With O(phase=Ready), the digest of what the workflow that made the store Ready applied
        (C(storefleet.platform.store_applied_request)); the store role submits no workflow
        whose digest a Ready Store records.
      - Any write of a phase without it clears it.
    type: str
extends_documentation_fragment:
  - storefleet.platform.k8s_auth
attributes:
  check_mode:
    support: full
    description: Computes the new status without writing it.
  diff_mode:
    support: full
    description: Shows the status before and after.
"""

EXAMPLES = r"""
- name: Mark store demo as provisioning
  storefleet.platform.store_status:
    name: demo
    phase: Provisioning
    message: Installing the Helm release

- name: Mark store demo as ready with its URLs
  storefleet.platform.store_status:
    name: demo
    phase: Ready
    message: All pods are ready
    urls: "{{ 'demo' | storefleet.platform.store_urls(storefleet_domain) }}"
    helm_revision: 3
"""

RETURN = r"""
status:
  description: The Store's status after the update (or as it would be, in check mode).
  returned: success
  type: dict
  sample:
    phase: Ready
    namespace: store-demo
    urls: {storefront: "http://demo.example.com", api: "http://api.demo.example.com",
           admin: "http://api.demo.example.com/app"}
    readyAt: "2025-01-01T10:00:00Z"
    observedGeneration: 1
"""

import datetime

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.storefleet.platform.plugins.module_utils.k8s_client import (
    STORE_CRD,
    STORE_GROUP,
    STORE_PLURAL,
    STORE_VERSION,
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
from ansible_collections.storefleet.platform.plugins.module_utils.store_status import (
    PHASES,
    URL_KEYS,
    StatusError,
    next_status,
)

# Another writer may update the Store between our read and write; retry on conflict.
CONFLICT_RETRIES = 5


def argument_spec():
    spec = auth_arg_spec()
    spec.update(
        name={"type": "str", "required": True},
        namespace={"type": "str", "default": PLATFORM_NAMESPACE},
        phase={"type": "str", "choices": list(PHASES)},
        message={"type": "str"},
        urls={
            "type": "dict",
            "options": {key: {"type": "str"} for key in URL_KEYS},
        },
        workflow={"type": "str"},
        helm_revision={"type": "int"},
        applied_request={"type": "str"},
    )
    return spec


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def update_status(module, api):
    params = module.params
    urls = params["urls"]
    if urls is not None:
        urls = {key: value for key, value in urls.items() if value is not None}
    for _attempt in range(CONFLICT_RETRIES):
        try:
            store = api.get_namespaced_custom_object(
                STORE_GROUP, STORE_VERSION, params["namespace"], STORE_PLURAL, params["name"]
            )
        except ApiException as error:
            if error.status == 404:
                module.fail_json(
                    msg="Store %s not found in namespace %s (is %s installed and the store "
                    "recorded?): %s"
                    % (params["name"], params["namespace"], STORE_CRD, api_error(error))
                )
            module.fail_json(msg="cannot read Store %s: %s" % (params["name"], api_error(error)))
        before = store.get("status") or {}
        try:
            after = next_status(
                store,
                phase=params["phase"],
                message=params["message"],
                urls=urls,
                workflow=params["workflow"],
                helm_revision=params["helm_revision"],
                now=utc_now(),
                applied_request=params["applied_request"],
            )
        except (StatusError, ValueError) as error:
            module.fail_json(msg=str(error))
        changed = after != before
        if not changed or module.check_mode:
            return changed, before, after
        store["status"] = after
        try:
            written = api.replace_namespaced_custom_object_status(
                STORE_GROUP,
                STORE_VERSION,
                params["namespace"],
                STORE_PLURAL,
                params["name"],
                store,
            )
            return True, before, written.get("status") or after
        except ApiException as error:
            if error.status != 409:
                module.fail_json(
                    msg="cannot write the status of Store %s: %s"
                    % (params["name"], api_error(error))
                )
    module.fail_json(
        msg="the status of Store %s kept changing under us; gave up after %d attempts"
        % (params["name"], CONFLICT_RETRIES)
    )


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    error = store_name_error(module.params["name"])
    if error:
        module.fail_json(msg=error)
    api = k8s.CustomObjectsApi(api_client(module))
    changed, before, after = update_status(module, api)
    result = {"changed": changed, "status": after}
    if module._diff:
        result["diff"] = {"before": {"status": before}, "after": {"status": after}}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
