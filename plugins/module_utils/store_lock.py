# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""One writer per store: a coordination.k8s.io Lease "store-<name>" in the platform
namespace, held for a whole run. Pure functions on Lease dicts, so who may take a lock
and what a busy lock says are tested without a cluster; the module store_lock talks
to the API server.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

from .naming import MANAGED_BY, STORE_LABEL
from .platform_names import lock_name

_MICRO_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"


def micro_time(moment):
    """A Lease MicroTime (RFC 3339, microseconds, UTC)."""
    return moment.astimezone(datetime.timezone.utc).strftime(_MICRO_TIME)


def parse_time(value):
    """A datetime from a Lease time (a string, or the client's datetime); None if unset."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    for pattern in (_MICRO_TIME, "%Y-%m-%dT%H:%M:%SZ"):
        try:
            return datetime.datetime.strptime(value, pattern).replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            continue
    return None


def lease_body(store, namespace, holder, seconds, now, acquired=None, resource_version=None):
    """The Lease that says `holder` writes store `store` for `seconds` from `now`."""
    metadata = {
        "name": lock_name(store),
        "namespace": namespace,
        "labels": {"app.kubernetes.io/managed-by": MANAGED_BY, STORE_LABEL: store},
    }
    if resource_version:
        # Replace only the Lease we read: another run taking it first makes this a conflict.
        metadata["resourceVersion"] = resource_version
    return {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": metadata,
        "spec": {
            "holderIdentity": holder,
            "leaseDurationSeconds": int(seconds),
            "acquireTime": micro_time(acquired or now),
            "renewTime": micro_time(now),
        },
    }


def expires_at(spec):
    """When the holder's claim ends (renewTime + leaseDurationSeconds); None if unknown."""
    renewed = parse_time(spec.get("renewTime") or spec.get("acquireTime"))
    seconds = spec.get("leaseDurationSeconds")
    if renewed is None or not isinstance(seconds, int):
        return None
    return renewed + datetime.timedelta(seconds=seconds)


_HOLDER = re.compile(r"[^@/]*@([^/]+)/([0-9]+)/[0-9a-f]+")


def holder_identity(user, host, controller_pid, token):
    """Who holds a lock: user@host/pid/token. The pid is the ansible-playbook process that
    runs the play (0 if unknown), so a run on the same host can tell the holder was
    cancelled or killed (no `always` block gave the lock back) and need not wait it out."""
    return "%s@%s/%d/%s" % (user, host, controller_pid, token)


def holder_controller(holder):
    """(host, pid) of a holder written by holder_identity; None for any other holder."""
    match = _HOLDER.fullmatch(holder or "")
    if match is None:
        return None
    return match.group(1), int(match.group(2))


def may_take(spec, holder, now, controller_gone=None):
    """Whether `holder` may take a Lease with this spec: it is free, its own, expired, or
    its holder's controller process is gone (`controller_gone(holder)` says so)."""
    current = spec.get("holderIdentity") or ""
    if not current or current == holder:
        return True
    ends = expires_at(spec)
    if ends is not None and ends <= now:
        return True
    return controller_gone is not None and bool(controller_gone(current))


def busy_message(store, namespace, spec):
    """Why a run cannot write the store now, naming who holds it and until when."""
    ends = expires_at(spec)
    return (
        "store %s is busy: %s holds its lock (Lease %s/%s, taken %s, expires %s). Wait for "
        "that run to finish; if it is gone, delete the lock: kubectl -n %s delete lease %s"
        % (
            store,
            spec.get("holderIdentity") or "someone",
            namespace,
            lock_name(store),
            spec.get("acquireTime") or "at an unknown time",
            micro_time(ends) if ends else "never",
            namespace,
            lock_name(store),
        )
    )
