# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""Filters about stores: name check, namespace, host, URLs, labels, quota, claims, images,
Jobs, pods, listing.

Each filter's documentation is in the YAML file of the same name next to this one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible_collections.storefleet.platform.plugins.module_utils import (
    image_reference,
    naming,
    quota,
)
from ansible_collections.storefleet.platform.plugins.module_utils.resource_wait import (
    has_condition,
    pods_not_ready,
)


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


def image_values(references):
    """{'postgresql': 'host:5000/x/postgres:15'} -> {'postgresql': {'repository': ..., 'tag': ...}}
    for the chart's `images`, leaving out empty references (the chart's own pins stay)."""
    values = {}
    for name, reference in references.items():
        if not reference:
            continue
        error = image_reference.image_error(reference, "image %s" % name)
        if error:
            raise AnsibleFilterError(error)
        repository, tag = image_reference.split_image(reference)
        values[name] = {"repository": repository, "tag": tag}
    return values


def store_quota(values, plan, worker_mode="shared"):
    """ResourceQuota `hard` dict for the chart values at a plan and worker mode."""
    return _or_filter_error(quota.store_quota, values, plan, worker_mode)


def store_claim_limit(values, plan):
    """The largest PersistentVolumeClaim of a store at a plan (a quantity string)."""
    return _or_filter_error(quota.store_claim_limit, values, plan)


def failed_jobs(jobs):
    """The Jobs whose Failed condition is True."""
    return [job for job in jobs or [] if has_condition(job, "Failed")]


def store_pods_not_ready(pods):
    """The pods no Job owns, not being deleted, that are not Ready."""
    return pods_not_ready(pods or [])


def store_list_lines(stores):
    """One line per store of store_info: name, phase, plan, ready/total pods, Helm
    revision and storefront URL."""
    lines = []
    for store in stores or []:
        pods = store.get("pods") or {"ready": "-", "total": "-"}
        lines.append(
            "%-20s %-12s %-7s pods %s/%s rev %s %s"
            % (
                store.get("name"),
                store.get("phase") or "-",
                store.get("plan") or "-",
                pods.get("ready", "-"),
                pods.get("total", "-"),
                store.get("helm_revision") or "-",
                (store.get("urls") or {}).get("storefront", ""),
            )
        )
    return lines


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
            "image_values": image_values,
            "store_claim_limit": store_claim_limit,
            "store_list_lines": store_list_lines,
            "failed_jobs": failed_jobs,
            "store_pods_not_ready": store_pods_not_ready,
        }
