# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""The stores of a cluster as an Ansible inventory: one host per Store object."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: stores
author: Storefleet maintainers
version_added: 0.1.0
short_description: Stores of a Storefleet cluster, one host per Store object
description:
  - Reads the C(stores.storefleet.io) Store objects of the platform namespace with one
    list call and adds one host per store, named after the store, with
    C(ansible_connection=local) - the work on a store is calls to the cluster's API, run
    from the controller.
  - Host variables (prefixed C(fleet_store_), so the store role's own variables are never
    set by accident) come from the Store's spec and status - namespace, plan, phase,
    message, backend and storefront images and tags, Helm revision, URLs, the store's
    own labels, creation and readiness time.
  - "Groups: C(stores) (every store), C(phase_<phase>) (C(phase_ready),
    C(phase_failed), ...), C(plan_<plan>), C(backend_<tag>) and C(storefront_<tag>)
    (characters other than letters, digits and C(_) become C(_)), and one group per
    label, C(label_<key>_<value>) (C(label_tier_beta)). O(keyed_groups), O(groups) and
    O(compose) add more, as the constructed plugin does."
  - A cluster that cannot be read (no kubeconfig, unreachable, the platform not
    installed) gives a warning and no store hosts, so an inventory directory holding
    this file still parses without a cluster; O(on_error=fail) makes it an error. The
    reason is also in the variable C(fleet_inventory_error) of group C(all) (empty
    when the stores were read), which the fleet playbooks check before they start.
  - The source file's name ends in C(storefleet.yml) or C(storefleet.yaml), or is
    C(stores.yml) or C(stores.yaml).
extends_documentation_fragment:
  - inventory_cache
  - constructed
options:
  plugin:
    description: Marks this file as a source of the storefleet.platform.stores plugin.
    required: true
    choices: [storefleet.platform.stores, stores]
    type: str
  kubeconfig:
    description:
      - Path of the kubeconfig; a relative path is relative to this file's directory.
        May be a template (lookups only), as in
        C("{{ lookup('ansible.builtin.env', 'STOREFLEET_KUBECONFIG') or '~/.kube/config' }}").
      - Without it, E(K8S_AUTH_KUBECONFIG), then E(KUBECONFIG), then C(~/.kube/config);
        inside a pod with none of them, the pod's service account.
    type: str
    env:
      - name: K8S_AUTH_KUBECONFIG
  context:
    description:
      - Context of the kubeconfig; empty is the kubeconfig's current context. May be a
        template (lookups only).
    type: str
    env:
      - name: K8S_AUTH_CONTEXT
  namespace:
    description: Namespace of the Store objects (the platform namespace).
    type: str
    default: storefleet-system
  label_selector:
    description:
      - Only the stores whose labels match this Kubernetes label selector
        (C(tier=beta), C(tier in (beta, canary))); empty is every store.
    type: str
    default: ""
  request_timeout:
    description: Seconds to wait for the API server before giving up on this read.
    type: int
    default: 10
  on_error:
    description:
      - What a cluster that cannot be read does to the inventory. C(warn) warns and
        adds no store hosts; C(fail) fails the inventory source (an AWX inventory sync
        that overwrites its hosts should not sync an empty fleet).
    type: str
    choices: [warn, fail]
    default: warn
    env:
      - name: STOREFLEET_INVENTORY_ON_ERROR
requirements:
  - kubernetes (Python client) >= 30.0.0
notes:
  - With O(cache=true) a read within O(cache_timeout) seconds comes from the cache and
    makes no API call; C(ansible-inventory --flush-cache) or C(meta refresh_inventory)
    read the cluster again. The cache key includes the kubeconfig, context, namespace
    and selector, so two clusters never share an entry.
"""

EXAMPLES = r"""
# inventories/local/stores.storefleet.yml: the stores of the local cluster
plugin: storefleet.platform.stores
kubeconfig: >-
  {{ lookup('ansible.builtin.env', 'STOREFLEET_KUBECONFIG')
     or lookup('ansible.builtin.env', 'HOME') ~ '/.kube/storefleet-local.yaml' }}
context: "{{ lookup('ansible.builtin.env', 'STOREFLEET_KUBE_CONTEXT') or 'k3d-storefleet' }}"
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/storefleet/inventory
cache_timeout: 60
---
# Only beta stores, grouped by their team label as well
plugin: storefleet.platform.stores
label_selector: tier=beta
keyed_groups:
  - key: fleet_store_labels.team | default('')
    prefix: team
compose:
  storefront_url: fleet_store_urls.storefront | default('')
groups:
  needs_attention: fleet_store_phase in ['Failed', 'Pending']
"""

import hashlib
import os

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.template import trust_as_template
from ansible_collections.storefleet.platform.plugins.module_utils.fleet_inventory import (
    STORES_GROUP,
    host_groups,
    host_vars,
)
from ansible_collections.storefleet.platform.plugins.module_utils.platform_names import (
    STORE_GROUP,
    STORE_PLURAL,
    STORE_VERSION,
)

# The variable of group `all` that says why no stores were read ('' when they were).
ERROR_VARIABLE = "fleet_inventory_error"
# Only what the host variables need is cached.
_KEPT_METADATA = ("name", "labels", "creationTimestamp")


class StoresReadError(Exception):
    """The Store objects could not be read; the message says why, in plain words."""


def _trimmed(store):
    metadata = store.get("metadata") or {}
    return {
        "metadata": {key: metadata[key] for key in _KEPT_METADATA if key in metadata},
        "spec": store.get("spec") or {},
        "status": store.get("status") or {},
    }


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = "storefleet.platform.stores"

    def verify_file(self, path):
        if not super().verify_file(path):
            return False
        name = os.path.basename(path)
        return name.endswith(("storefleet.yml", "storefleet.yaml")) or name in (
            "stores.yml",
            "stores.yaml",
        )

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        self._source_dir = os.path.dirname(os.path.abspath(path))
        connection = self._connection()
        cache_key = "%s_%s" % (
            self.get_cache_key(path),
            hashlib.sha256(repr(sorted(connection.items())).encode()).hexdigest()[:12],
        )
        use_cache = self.get_option("cache")
        stores = None
        if use_cache and cache:
            try:
                stores = self._cache[cache_key]
            except KeyError:
                stores = None
        error = ""
        if stores is None:
            try:
                stores = self._read_stores(connection)
            except StoresReadError as failure:
                error = "storefleet.platform.stores (%s): %s" % (path, failure)
                if self.get_option("on_error") == "fail":
                    raise AnsibleParserError(error) from None
                self.display.warning("%s; the inventory has no store hosts." % error)
                stores = []
            else:
                if use_cache:
                    self._cache[cache_key] = stores
        self._populate(stores, error)

    # -- reading -----------------------------------------------------------------------

    def _templated(self, option):
        value = self.get_option(option)
        if not value:
            return ""
        return str(self.templar.template(value)).strip()

    def _connection(self):
        kubeconfig = self._templated("kubeconfig")
        if kubeconfig:
            kubeconfig = os.path.join(self._source_dir, os.path.expanduser(kubeconfig))
        return {
            "kubeconfig": kubeconfig,
            "context": self._templated("context"),
            "namespace": self.get_option("namespace"),
            "label_selector": self.get_option("label_selector") or "",
        }

    def _read_stores(self, connection):
        # Imported here: a read served from the cache never loads the client.
        try:
            from kubernetes import client as k8s
            from kubernetes import config as k8s_config
            from kubernetes.client.exceptions import ApiException
            from kubernetes.config.config_exception import ConfigException
        except ImportError as missing:
            raise StoresReadError(
                "the kubernetes Python client is required (pip install kubernetes): %s" % missing
            ) from None
        configuration = k8s.Configuration()
        kubeconfig = connection["kubeconfig"] or os.environ.get("KUBECONFIG", "")
        default = os.path.expanduser("~/.kube/config")
        try:
            if kubeconfig or os.path.exists(default):
                k8s_config.load_kube_config(
                    config_file=kubeconfig or default,
                    context=connection["context"] or None,
                    client_configuration=configuration,
                )
            else:
                k8s_config.load_incluster_config(client_configuration=configuration)
        except (ConfigException, OSError, TypeError, ValueError) as failure:
            raise StoresReadError(
                "cannot use kubeconfig %s%s: %s"
                % (
                    kubeconfig or default or "(in-cluster)",
                    " context %s" % connection["context"] if connection["context"] else "",
                    failure,
                )
            ) from None
        # One attempt: an unreachable cluster is reported at once, not retried.
        configuration.retries = 0
        api = k8s.CustomObjectsApi(k8s.ApiClient(configuration))
        try:
            found = api.list_namespaced_custom_object(
                STORE_GROUP,
                STORE_VERSION,
                connection["namespace"],
                STORE_PLURAL,
                label_selector=connection["label_selector"] or None,
                _request_timeout=self.get_option("request_timeout"),
            )
        except ApiException as failure:
            if failure.status == 404:
                raise StoresReadError(
                    "the Storefleet platform is not installed on %s (no Store objects in "
                    "namespace %s); run storefleet.platform.platform first"
                    % (configuration.host, connection["namespace"])
                ) from None
            raise StoresReadError(
                "the API server %s refused to list stores: %s %s"
                % (configuration.host, failure.status, failure.reason)
            ) from None
        except Exception as failure:  # urllib3's connection and timeout errors
            raise StoresReadError(
                "cannot reach the API server %s: %s" % (configuration.host, failure)
            ) from None
        items = sorted(found.get("items") or [], key=lambda item: item["metadata"]["name"])
        return [_trimmed(item) for item in items]

    # -- populating ----------------------------------------------------------------------

    def _populate(self, stores, error):
        self.inventory.add_group(STORES_GROUP)
        self.inventory.set_variable("all", ERROR_VARIABLE, error)
        strict = self.get_option("strict")
        for store in stores:
            variables = host_vars(store)
            name = variables["fleet_store_name"]
            if (
                name in self.inventory.hosts
                and name not in self.inventory.groups[STORES_GROUP].host_names
            ):
                self.display.warning(
                    "storefleet.platform.stores: store %s has the name of a host the inventory "
                    "already has; it is left out of the store hosts." % name
                )
                continue
            self.inventory.add_host(name, group=STORES_GROUP)
            for group in host_groups(variables):
                self.inventory.add_group(group)
                self.inventory.add_child(group, name)
            for key, value in variables.items():
                self.inventory.set_variable(name, key, value)
            self.inventory.set_variable(name, "ansible_connection", "local")
            # The controller's own Python (it has the kubernetes client), as hosts.yml's
            # controller uses; the platform's own string, so it is trusted to template.
            self.inventory.set_variable(
                name,
                "ansible_python_interpreter",
                trust_as_template("{{ ansible_playbook_python }}"),
            )
            hostvars = self.inventory.get_host(name).get_vars()
            self._set_composite_vars(self.get_option("compose"), hostvars, name, strict=strict)
            self._add_host_to_composed_groups(
                self.get_option("groups"), hostvars, name, strict=strict
            )
            self._add_host_to_keyed_groups(
                self.get_option("keyed_groups"), hostvars, name, strict=strict
            )
