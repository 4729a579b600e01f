# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""Filters about the fleet: the status of the stores the inventory plugin read.

Each filter's documentation is in the YAML file of the same name next to this one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from datetime import datetime, timezone

from ansible_collections.storefleet.platform.plugins.module_utils import fleet_inventory


def _now(now):
    if not now:
        return datetime.now(timezone.utc)
    return datetime.fromisoformat(str(now).replace("Z", "+00:00"))


def fleet_status_rows(hosts, now=""):
    """One row per store host (its host variables), sorted by store name."""
    rows = [fleet_inventory.status_row(variables, _now(now)) for variables in hosts or []]
    return sorted(rows, key=lambda row: str(row["store"]))


def fleet_status_lines(rows):
    """fleet_status_rows as an aligned table with a header."""
    return fleet_inventory.status_lines(rows or [])


class FilterModule:
    """storefleet.platform fleet filters."""

    def filters(self):
        return {
            "fleet_status_rows": fleet_status_rows,
            "fleet_status_lines": fleet_status_lines,
        }
