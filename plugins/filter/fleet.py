# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""Filters about the fleet: the status of the stores the inventory plugin read, and the
checks and waves of a fleet run.

Each filter's documentation is in the YAML file of the same name next to this one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from datetime import datetime, timezone

from ansible.errors import AnsibleFilterError
from ansible_collections.storefleet.platform.plugins.module_utils import fleet_inventory, fleet_run


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


def fleet_run_errors(request, stores, plans=None, change="upgrade"):
    """Every reason a fleet run cannot start; [] when it can."""
    return fleet_run.run_errors(request or {}, stores or [], plans, change)


def fleet_waves(spec):
    """The wave sizes of a fleet run, as a play's serial takes them."""
    try:
        return fleet_run.waves(spec)
    except ValueError as error:
        raise AnsibleFilterError(str(error)) from None


class FilterModule:
    """storefleet.platform fleet filters."""

    def filters(self):
        return {
            "fleet_status_rows": fleet_status_rows,
            "fleet_status_lines": fleet_status_lines,
            "fleet_run_errors": fleet_run_errors,
            "fleet_waves": fleet_waves,
        }
