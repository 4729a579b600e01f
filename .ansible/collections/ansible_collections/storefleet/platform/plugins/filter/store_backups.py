# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""Filters over a store's list of backups (ConfigMap store-backups).

Each filter's documentation is in the YAML file of the same name next to this one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible_collections.storefleet.platform.plugins.module_utils import backups


def _or_filter_error(function, *args):
    try:
        return function(*args)
    except ValueError as error:
        raise AnsibleFilterError(str(error)) from None


def store_backups_add(records, record, keep, prune=True):
    """The list with `record` added, the newest `keep` kept when `prune`."""
    return _or_filter_error(backups.add_backup, records, record, keep, prune)


def store_backup_of_revision(records, revision):
    """The last backup of Helm revision `revision`, or None."""
    return _or_filter_error(backups.backup_of_revision, records, revision)


def store_backup_lines(records):
    """One line per backup, for an operator."""
    return _or_filter_error(backups.backup_lines, records)


class FilterModule:
    """storefleet.platform backup filters."""

    def filters(self):
        return {
            "store_backups_add": store_backups_add,
            "store_backup_of_revision": store_backup_of_revision,
            "store_backup_lines": store_backup_lines,
        }
