#!/usr/bin/python
# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""Create a store's credentials Secret once, with values generated here."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: store_credentials
short_description: Create a store's credentials Secret once
version_added: 0.1.0
author: Storefleet maintainers
description:
  - Generates the store's database password, JWT and cookie secrets and admin password
    inside the module (so they never pass through task arguments, results or logs) and
    creates the Secret O(secret) in O(namespace) with them.
  - Create-only. An existing Secret is never read or rewritten, so the values a store's
    database was initialised with stay; a Secret that another run created first is
    kept (AlreadyExists means keep).
options:
  namespace:
    description: The store namespace.
    type: str
    required: true
  secret:
    description: Name of the Secret.
    type: str
    default: store-credentials
  admin_email:
    description: E-mail address of the store's admin user (not a secret).
    type: str
    required: true
  labels:
    description: Labels of the Secret.
    type: dict
    default: {}
extends_documentation_fragment:
  - storefleet.platform.k8s_auth
attributes:
  check_mode:
    support: full
    description: Reports whether the Secret would be created.
"""

EXAMPLES = r"""
- name: Generate the credentials of store demo
  storefleet.platform.store_credentials:
    namespace: store-demo
    admin_email: admin@demo.example.com
    labels: {storefleet.io/store: demo}
"""

RETURN = r"""
created:
  description: Whether this run created the Secret (false when it existed).
  returned: success
  type: bool
"""

import secrets
import string

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.storefleet.platform.plugins.module_utils.k8s_client import (
    ApiException,
    api_client,
    api_error,
    auth_arg_spec,
    k8s,
)

# Letters and digits only: the values end up in URLs and environment variables unquoted.
ALPHABET = string.ascii_letters + string.digits
GENERATED = (
    ("postgres-password", 32),
    ("jwt-secret", 48),
    ("cookie-secret", 48),
    ("admin-password", 24),
)


def argument_spec():
    spec = auth_arg_spec()
    spec.update(
        namespace={"type": "str", "required": True},
        secret={"type": "str", "default": "store-credentials"},
        admin_email={"type": "str", "required": True},
        labels={"type": "dict", "default": {}},
    )
    return spec


def generated_values(admin_email):
    values = dict(
        (key, "".join(secrets.choice(ALPHABET) for _ in range(length))) for key, length in GENERATED
    )
    values["admin-email"] = admin_email
    return values


def exists(module, api):
    params = module.params
    try:
        # Metadata only: the values are never read.
        api.read_namespaced_secret(params["secret"], params["namespace"], _preload_content=False)
        return True
    except ApiException as error:
        if error.status == 404:
            return False
        module.fail_json(msg="cannot look up Secret %s: %s" % (params["secret"], api_error(error)))


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    params = module.params
    api = k8s.CoreV1Api(api_client(module))
    if module.check_mode:
        module.exit_json(changed=not exists(module, api), created=False)
    body = {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
        "metadata": {
            "name": params["secret"],
            "namespace": params["namespace"],
            "labels": dict((k, str(v)) for k, v in params["labels"].items()),
        },
        "stringData": generated_values(params["admin_email"]),
    }
    try:
        api.create_namespaced_secret(params["namespace"], body, _preload_content=False)
    except ApiException as error:
        if error.status == 409:
            module.exit_json(changed=False, created=False)
        module.fail_json(
            msg="cannot create Secret %s in %s: %s"
            % (params["secret"], params["namespace"], api_error(error))
        )
    module.exit_json(changed=True, created=True)


if __name__ == "__main__":
    main()
