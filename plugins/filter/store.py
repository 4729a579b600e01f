# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""Filters about one store: name check, namespace, hosts, URLs, labels, quota.

Each filter's documentation is in the YAML file of the same name next to this one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible_collections.storefleet.platform.plugins.module_utils import naming, quota


def _or_filter_error(function, *args):
    """Turn the helpers' ValueErrors into the error type Ansible reports cleanly."""
    try:
        return function(*args)
    except ValueError as error:
        raise AnsibleFilterError(str(error)) from None


def store_name_error(name):
    """'' for a valid store name, else a message that names the broken rule."""
    return naming.store_name_error(name)


def store_namespace(name):
    """'store-<name>'."""
    return _or_filter_error(naming.store_namespace, name)


def store_host(name, domain):
    """'<name>.<domain>': storefront, API and admin share it."""
    return _or_filter_error(naming.store_host, name, domain)


def store_urls(name, domain, tls=False):
    """{'storefront': ..., 'api': ..., 'admin': '<api>/app'} with http or https."""
    return _or_filter_error(naming.store_urls, name, domain, bool(tls))


def store_namespace_labels(name):
    """Labels every store namespace carries."""
    return _or_filter_error(naming.store_namespace_labels, name)


def store_quota(values, plan, worker_mode="shared"):
    """ResourceQuota `hard` dict for the chart values at a plan and worker mode."""
    return _or_filter_error(quota.store_quota, values, plan, worker_mode)


class FilterModule:
    """storefleet.platform store filters."""

    def filters(self):
        return {
            "store_name_error": store_name_error,
            "store_namespace": store_namespace,
            "store_host": store_host,
            "store_urls": store_urls,
            "store_namespace_labels": store_namespace_labels,
            "store_quota": store_quota,
        }
