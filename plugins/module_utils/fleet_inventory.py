# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""A Store object as an inventory host: its variables and the groups it belongs to.

The inventory plugin storefleet.platform.stores reads Store objects and hands each to
these functions; they know nothing of Ansible, so unit tests call them with plain dicts.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from .image_reference import split_image
from .naming import store_namespace
from .store_request import RESERVED_LABEL_DOMAINS

# Every store host is in this group, whatever else it is in.
STORES_GROUP = "stores"
# Host variables carry this prefix: the store role's own variables (store_plan,
# store_labels, ...) are never set by the inventory by accident.
VAR_PREFIX = "fleet_store_"
# A phase nobody has written yet (the Store was just recorded).
DEFAULT_PHASE = "Pending"

_UNSAFE_GROUP_CHARACTERS = re.compile(r"[^A-Za-z0-9_]")


def group_name(*parts):
    """A group name Ansible accepts from any label key or value: every character but
    letters, digits and '_' becomes '_' ('tier', 'beta' -> 'tier_beta';
    'example.com/team' -> 'example_com_team')."""
    return _UNSAFE_GROUP_CHARACTERS.sub("_", "_".join(str(part) for part in parts))


def is_platform_label(key):
    """Labels under the platform's (and Kubernetes') domains are set by the platform, not
    by whoever created the store (app.kubernetes.io/managed-by, storefleet.io/store)."""
    prefix, slash, _name = key.rpartition("/")
    return bool(slash) and any(
        prefix == domain or prefix.endswith("." + domain) for domain in RESERVED_LABEL_DOMAINS
    )


def store_labels(store):
    """The store's own labels (store_labels at create), the platform's left out."""
    labels = (store.get("metadata") or {}).get("labels") or {}
    return {key: value for key, value in labels.items() if not is_platform_label(key)}


def image_tag(reference):
    """The tag of repository:tag; '' for no reference."""
    return split_image(reference)[1] if reference else ""


def host_vars(store):
    """The host variables of one Store object, every name prefixed with VAR_PREFIX."""
    metadata = store.get("metadata") or {}
    spec = store.get("spec") or {}
    status = store.get("status") or {}
    name = metadata["name"]
    backend_image = spec.get("backendImage") or ""
    storefront_image = spec.get("storefrontImage") or ""
    values = {
        "name": name,
        "namespace": status.get("namespace") or store_namespace(name),
        "plan": spec.get("plan") or "",
        "phase": status.get("phase") or DEFAULT_PHASE,
        "message": status.get("message") or "",
        "backend_image": backend_image,
        "backend_tag": image_tag(backend_image),
        "storefront_image": storefront_image,
        "storefront_tag": image_tag(storefront_image),
        "helm_revision": status.get("helmRevision"),
        "urls": dict(status.get("urls") or {}),
        "labels": store_labels(store),
        "created": metadata.get("creationTimestamp") or "",
        "ready_at": status.get("readyAt") or "",
        "domain": spec.get("domain") or "",
        "seed_demo_data": spec.get("seedDemoData"),
        "workflow": status.get("workflow") or "",
    }
    return {VAR_PREFIX + key: value for key, value in values.items()}


def host_groups(variables):
    """The groups a store host belongs to, from its host_vars(): all stores, its phase,
    its plan, its backend and storefront versions, and one group per label
    (label_tier_beta)."""
    get = variables.get
    groups = [STORES_GROUP, group_name("phase", get(VAR_PREFIX + "phase", "").lower())]
    if get(VAR_PREFIX + "plan"):
        groups.append(group_name("plan", get(VAR_PREFIX + "plan")))
    if get(VAR_PREFIX + "backend_tag"):
        groups.append(group_name("backend", get(VAR_PREFIX + "backend_tag")))
    if get(VAR_PREFIX + "storefront_tag"):
        groups.append(group_name("storefront", get(VAR_PREFIX + "storefront_tag")))
    for key, value in sorted((get(VAR_PREFIX + "labels") or {}).items()):
        groups.append(group_name("label", key, value))
    return groups


# -- the fleet status table ------------------------------------------------------------

STATUS_COLUMNS = ("store", "phase", "plan", "versions", "revision", "age")


def age(created, now):
    """How long ago `created` (an RFC 3339 time) was, as kubectl shows it: 45s, 12m,
    3h, 5d; '-' when unknown. `now` is a timezone-aware datetime."""
    from datetime import datetime

    if not created:
        return "-"
    try:
        then = datetime.fromisoformat(created.replace("Z", "+00:00"))
    except ValueError:
        return "-"
    seconds = max(0, int((now - then).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size * (2 if unit != "m" else 1):
            return "%d%s" % (seconds // size, unit)
    return "%ds" % seconds


def status_row(variables, now):
    """One store's row of the fleet status from its host variables (host_vars())."""
    get = variables.get
    return {
        "store": get(VAR_PREFIX + "name"),
        "phase": get(VAR_PREFIX + "phase") or DEFAULT_PHASE,
        "plan": get(VAR_PREFIX + "plan") or "-",
        "backend": get(VAR_PREFIX + "backend_tag") or "-",
        "storefront": get(VAR_PREFIX + "storefront_tag") or "-",
        "revision": get(VAR_PREFIX + "helm_revision"),
        "created": get(VAR_PREFIX + "created") or "",
        "age": age(get(VAR_PREFIX + "created"), now),
    }


def status_lines(rows):
    """The rows as an aligned table with a header: store, phase, plan, versions
    (backend/storefront), revision, age."""
    cells = [list(STATUS_COLUMNS)] + [
        [
            str(row["store"]),
            row["phase"],
            row["plan"],
            "%s/%s" % (row["backend"], row["storefront"]),
            "-" if row["revision"] is None else str(row["revision"]),
            row["age"],
        ]
        for row in rows
    ]
    widths = [max(len(line[column]) for line in cells) for column in range(len(STATUS_COLUMNS))]
    return [
        "  ".join(cell.ljust(widths[index]) for index, cell in enumerate(line)).rstrip()
        for line in cells
    ]
