# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""How a phase report turns into a Store's status: timestamps, the Ready condition.

Pure functions on dicts, so the mapping is unit-tested without a cluster; the module
store_status only reads the Store, calls next_status() and writes the result.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from .naming import store_namespace

PHASES = ("Pending", "Provisioning", "Ready", "Failed", "Deleting")
URL_KEYS = ("storefront", "api", "admin")
READY_CONDITION = "Ready"
# The Store CRD's status.message maxLength: a longer message would be refused whole and
# leave the Store in its old phase, so it is cut to fit instead.
MESSAGE_MAX_LENGTH = 4096
_CUT_MARKER = " [... %d characters cut ...] "

# Condition status for each phase: only Ready is True; a run in progress is Unknown.
_READY_STATUS = {
    "Pending": "Unknown",
    "Provisioning": "Unknown",
    "Ready": "True",
    "Failed": "False",
    "Deleting": "False",
}


def bounded_message(message, limit=MESSAGE_MAX_LENGTH):
    """`message` cut to at most `limit` characters: its start (what failed) and its end
    (the last error), with the number of characters left out in between."""
    if message is None or len(message) <= limit:
        return message
    # The marker states how many characters it replaces, and its own length depends on
    # that number: settle both.
    cut = len(message) - limit
    while True:
        marker = _CUT_MARKER % cut
        keep = limit - len(marker)
        if len(message) - keep == cut:
            break
        cut = len(message) - keep
    head = keep * 3 // 4
    tail = keep - head
    return message[:head] + marker + (message[-tail:] if tail else "")


class StatusError(ValueError):
    """A status report the Store schema would refuse; the message says why."""


def _check(phase, urls, helm_revision):
    if phase is not None and phase not in PHASES:
        raise StatusError("phase %r is not one of: %s" % (phase, ", ".join(PHASES)))
    if urls is not None:
        unknown = sorted(set(urls) - set(URL_KEYS))
        if unknown:
            raise StatusError(
                "urls has unknown keys %s; allowed: %s" % (", ".join(unknown), ", ".join(URL_KEYS))
            )
    if helm_revision is not None and (
        isinstance(helm_revision, bool) or not isinstance(helm_revision, int) or helm_revision < 1
    ):
        raise StatusError("helm_revision must be a whole number >= 1")


def _ready_condition(conditions, phase, message, generation, now):
    """The Ready condition for `phase`; its transition time moves only when it flips."""
    previous = next((c for c in conditions if c.get("type") == READY_CONDITION), None)
    status = _READY_STATUS[phase]
    condition = {
        "type": READY_CONDITION,
        "status": status,
        "reason": phase,
        "message": message or "",
        "observedGeneration": generation,
        "lastTransitionTime": now,
    }
    if previous and previous.get("status") == status and previous.get("lastTransitionTime"):
        condition["lastTransitionTime"] = previous["lastTransitionTime"]
    others = [c for c in conditions if c.get("type") != READY_CONDITION]
    return [*others, condition]


def next_status(
    store,
    phase=None,
    message=None,
    urls=None,
    workflow=None,
    helm_revision=None,
    now=None,
    applied_request=None,
):
    """The status `store` should have after this report; equal to the old one if nothing changed.

    `now` is an RFC 3339 UTC timestamp, used only for fields that change at this moment.
    `applied_request` (module_utils applied_request) is kept with a Ready report only: any
    report of a phase without it clears it, so only a workflow that ended Ready leaves one.
    """
    _check(phase, urls, helm_revision)
    name = store["metadata"]["name"]
    generation = store["metadata"].get("generation", 1)
    current = store.get("status") or {}
    status = copy.deepcopy(current)
    status["namespace"] = store_namespace(name)
    status["observedGeneration"] = generation
    previous_phase = current.get("phase")
    if phase is not None:
        status["phase"] = phase
        if phase == "Provisioning" and (
            previous_phase != "Provisioning" or "startedAt" not in current
        ):
            status["startedAt"] = now
            status.pop("readyAt", None)
        if phase == "Ready" and (previous_phase != "Ready" or "readyAt" not in current):
            status["readyAt"] = now
        if phase == "Ready" and applied_request:
            status["appliedRequest"] = applied_request
        else:
            status.pop("appliedRequest", None)
    if message is not None:
        status["message"] = bounded_message(message)
    if urls is not None:
        status["urls"] = dict(urls)
    if workflow is not None:
        status["workflow"] = workflow
    if helm_revision is not None:
        status["helmRevision"] = helm_revision
    if status.get("phase"):
        status["conditions"] = _ready_condition(
            current.get("conditions") or [],
            status["phase"],
            status.get("message"),
            generation,
            now,
        )
    return status
