# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""The platform's fixed names, for the roles (plugins/module_utils/platform_names.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: platform_names
author: Storefleet maintainers
version_added: 0.1.0
short_description: The names of the platform's own objects
description:
  - Returns the fixed names the platform, argo and store roles and the WorkflowTemplates
    share (the platform namespace, the provisioner account, the Store CRD, the settings
    ConfigMap, the WorkflowTemplates, the lock prefix), declared once in the collection.
  - Without terms, the whole mapping; with terms, the named entries.
options:
  _terms:
    description: Keys of the names to return; none for the whole mapping.
    required: false
"""

EXAMPLES = r"""
- name: Show the platform namespace
  ansible.builtin.debug:
    msg: "{{ lookup('storefleet.platform.platform_names', 'namespace') }}"
"""

RETURN = r"""
_raw:
  description: The mapping of names, or the names asked for.
  type: raw
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible_collections.storefleet.platform.plugins.module_utils.platform_names import (
    platform_names,
)


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        names = platform_names()
        if not terms:
            return [names]
        unknown = [term for term in terms if term not in names]
        if unknown:
            raise AnsibleLookupError(
                "unknown platform name %s; known: %s" % (", ".join(unknown), ", ".join(names))
            )
        return [names[term] for term in terms]
