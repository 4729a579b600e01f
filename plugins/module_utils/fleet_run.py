# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""A fleet run (playbooks/fleet_upgrade.yml, fleet_rollback.yml): the waves it runs in,
how many failed stores it tolerates, what it changes and which stores may take part.

Everything is checked before the first store changes; these functions know nothing of
Ansible, so unit tests call them with plain values.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from .store_request import BY_VARIABLE, field_errors

UPGRADE = "upgrade"
ROLLBACK = "rollback"
CHANGES = (UPGRADE, ROLLBACK)

# A canary store, then half of the selected stores, then the rest.
DEFAULT_WAVES = [1, "50%", "100%"]

TAGS = ("store_backend_image_tag", "store_storefront_image_tag")
# Variables that name one store or one revision: a fleet run picks stores with --limit
# and takes each back to its own previous revision.
ONE_STORE_ONLY = {
    "store_name": "a fleet run picks its stores with --limit (a store, a group such as "
    "label_tier_beta, or a pattern), not store_name",
    "store_rollback_revision": "revision numbers differ from store to store: a fleet run "
    "takes each store back to its own previous revision",
}

_COUNT = re.compile(r"^[0-9]+$")
_PERCENTAGE = re.compile(r"^([0-9]+)%$")


def _shown(value):
    text = value if isinstance(value, str) else repr(value)
    return repr(text) if len(text) <= 60 else repr(text[:57] + "...")


def _wave(item):
    """One wave size: a count (2, '2') as an int, a percentage ('50%') as a string."""
    if isinstance(item, bool):
        raise ValueError("%s is not a count" % _shown(item))
    if isinstance(item, int):
        count = item
    elif isinstance(item, str) and _COUNT.match(item.strip()):
        count = int(item.strip())
    elif isinstance(item, str) and _PERCENTAGE.match(item.strip()):
        percentage = int(_PERCENTAGE.match(item.strip()).group(1))
        if not 1 <= percentage <= 100:
            raise ValueError("%s is not a percentage from 1%% to 100%%" % _shown(item))
        return "%d%%" % percentage
    else:
        raise ValueError("%s is neither a count nor a percentage" % _shown(item))
    if count < 1:
        raise ValueError("%s is not a count of at least 1" % _shown(item))
    return count


def waves(spec):
    """The wave sizes of `spec` as a play's `serial` takes them: counts of stores (1, 2)
    and percentages of the selected stores ('50%'); the last size repeats until every
    store had its turn. A list, or its items in one string separated by commas
    ('1,50%,100%' or '[1, "50%"]', as -e fleet_waves=... gives it). Raises ValueError
    saying why not."""
    items = spec
    if isinstance(spec, str):
        # -e 'fleet_waves=[1, "50%"]' arrives as this text too.
        parts = spec.strip().lstrip("[").rstrip("]").split(",")
        items = [part.strip().strip("'\"") for part in parts if part.strip()]
    if not isinstance(items, (list, tuple)) or not items:
        raise ValueError(
            "fleet_waves must be a list of store counts and percentages of the selected "
            "stores, like [1, '50%%', '100%%'] or '1,50%%,100%%'; got %s" % _shown(spec)
        )
    sizes = []
    for index, item in enumerate(items, start=1):
        try:
            sizes.append(_wave(item))
        except ValueError as error:
            raise ValueError(
                "fleet_waves item %d: %s (give store counts like 1 or 2 and percentages "
                "like '50%%')" % (index, error)
            ) from None
    return sizes


def wave_error(spec):
    """'' for a valid wave list, else why not."""
    try:
        waves(spec)
    except ValueError as error:
        return str(error)
    return ""


def max_fail_percentage_error(value):
    """'' for a whole number from 0 to 100 (a string of digits too), else why not."""
    number = value
    if isinstance(value, str) and _COUNT.match(value.strip()):
        number = int(value.strip())
    if isinstance(number, int) and not isinstance(number, bool) and 0 <= number <= 100:
        return ""
    return "fleet_max_fail_percentage must be a whole number from 0 to 100, got %s" % _shown(value)


def _upgrade_errors(request, plans):
    errors = []
    for variable in TAGS:
        errors.extend(field_errors(BY_VARIABLE[variable], request.get(variable) or ""))
    plan = request.get("store_plan")
    if plan is not None:
        errors.extend(field_errors(BY_VARIABLE["store_plan"], plan, plans))
    if not any(request.get(variable) for variable in TAGS):
        errors.append(
            "no image tag given: give store_backend_image_tag, store_storefront_image_tag or both"
        )
    return errors


def _rollback_errors(request):
    given = [variable for variable in (*TAGS, "store_plan") if request.get(variable)]
    if not given:
        return []
    return [
        "a fleet rollback takes each store back to its previous revision, images and plan "
        "together; it takes no %s" % " or ".join(given)
    ]


def _store_errors(stores, change):
    """Why some selected stores may not take part, from their inventory host variables."""
    allowed = ("Ready",) if change == UPGRADE else ("Ready", "Failed")
    unfit, first_revision = [], []
    for store in stores:
        name = store.get("fleet_store_name")
        phase = store.get("fleet_store_phase") or "Pending"
        if phase not in allowed:
            unfit.append("%s is %s" % (name, phase))
        elif change == ROLLBACK and int(store.get("fleet_store_helm_revision") or 0) < 2:
            first_revision.append(str(name))
    errors = []
    if unfit:
        errors.append(
            "every selected store must be %s before a fleet %s: %s; leave them out with "
            "--limit (for instance '<pattern>:&phase_ready')"
            % (" or ".join(allowed), change, ", ".join(sorted(unfit)))
        )
    if first_revision:
        errors.append(
            "no previous revision to roll back to: %s run revision 1"
            % ", ".join(sorted(first_revision))
        )
    return errors


def run_errors(request, stores, plans=None, change=UPGRADE):
    """Every reason the fleet run cannot start; [] when it can.

    request: {variable: value} of fleet_waves, fleet_max_fail_percentage, store_name,
    store_rollback_revision, the image tags and store_plan, None for what was not given.
    stores: the host variables of the selected store hosts (storefleet.platform.stores).
    plans: the store chart's plans. change: upgrade or rollback."""
    if change not in CHANGES:
        return ["unknown fleet change %s: use %s" % (_shown(change), " or ".join(CHANGES))]
    errors = []
    for problem in (
        wave_error(request.get("fleet_waves")),
        max_fail_percentage_error(request.get("fleet_max_fail_percentage")),
    ):
        if problem:
            errors.append(problem)
    for variable, reason in sorted(ONE_STORE_ONLY.items()):
        if request.get(variable) is not None:
            errors.append("%s is not taken: %s" % (variable, reason))
    if change == UPGRADE:
        errors.extend(_upgrade_errors(request, plans))
    else:
        errors.extend(_rollback_errors(request))
    errors.extend(_store_errors(stores or [], change))
    return errors
