# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""Waiting for a store's objects to reach a state: the conditions and the watch loop.

A wait lists the objects, and while they are not there yet, watches them and lists
again after each change. One process and one connection for the whole wait, where a
poll started a module process every second (on a two-core node that process took half
of the CPU the store's pods were starting on).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time


def _conditions(obj):
    return (obj.get("status") or {}).get("conditions") or []


def has_condition(obj, kind):
    """Whether obj's status holds condition `kind` with status True."""
    return any(c.get("type") == kind and c.get("status") == "True" for c in _conditions(obj))


def live(objects):
    """The objects not being deleted (a Job of the last revision may still be going)."""
    return [o for o in objects if not (o.get("metadata") or {}).get("deletionTimestamp")]


def jobs_finished(objects):
    """At least one live Job, and every live Job complete or failed."""
    jobs = live(objects)
    return bool(jobs) and all(
        has_condition(job, "Complete") or has_condition(job, "Failed") for job in jobs
    )


def deployments_rolled_out(objects):
    """At least one Deployment, and each has every replica updated and available and
    no old one left, for its current generation."""
    if not objects:
        return False
    for deployment in objects:
        status = deployment.get("status") or {}
        wanted = (deployment.get("spec") or {}).get("replicas", 1)
        if status.get("observedGeneration") != deployment["metadata"].get("generation"):
            return False
        for field in ("updatedReplicas", "availableReplicas", "replicas"):
            if status.get(field, 0) != wanted:
                return False
    return True


def statefulsets_ready(objects):
    """Each StatefulSet has every replica ready on its current revision."""
    for statefulset in objects:
        status = statefulset.get("status") or {}
        wanted = (statefulset.get("spec") or {}).get("replicas", 1)
        if status.get("observedGeneration", 0) != statefulset["metadata"].get("generation"):
            return False
        if status.get("readyReplicas", 0) != wanted:
            return False
        if status.get("updateRevision", "") != status.get("currentRevision", "-"):
            return False
    return True


def _owned_by_job(pod):
    owners = (pod.get("metadata") or {}).get("ownerReferences") or []
    return any(owner.get("kind") == "Job" for owner in owners)


def pods_not_ready(objects):
    """The live pods that no Job owns and that are not Ready. A Job's pods run to
    completion (their Job is waited for instead); a pod being deleted is on its way out."""
    return [
        pod for pod in live(objects) if not _owned_by_job(pod) and not has_condition(pod, "Ready")
    ]


def pods_ready(objects):
    """At least one live pod that no Job owns, and each of them Ready."""
    serving = [pod for pod in live(objects) if not _owned_by_job(pod)]
    return bool(serving) and not pods_not_ready(serving)


def absent(objects):
    return not objects


def present(objects):
    return bool(objects)


CONDITIONS = {
    "jobs_finished": jobs_finished,
    "rolled_out": deployments_rolled_out,
    "ready": statefulsets_ready,
    "pods_ready": pods_ready,
    "absent": absent,
    "present": present,
}


def has_data_key(key):
    """The condition "a Secret carries a non-empty value under key"."""

    def condition(objects):
        return any(((o.get("data") or {}).get(key) or "") for o in objects)

    return condition


class WaitTimeout(Exception):
    def __init__(self, objects):
        super(WaitTimeout, self).__init__("timed out")
        self.objects = objects


def wait_until(
    condition,
    list_objects,
    watch_changes,
    timeout,
    transient=lambda error: True,
    clock=time.monotonic,
    pause=time.sleep,
):
    """List until condition(objects) holds; between two lists, block in
    watch_changes(resource_version, seconds) until something changes. A transient error
    of a list or watch (an API server restart, an expired version) is retried until the
    deadline; any other is raised.

    list_objects() -> (objects, resource_version); returns the last objects, raises
    WaitTimeout with them when the deadline passes first."""
    deadline = clock() + timeout
    objects = []
    while True:
        try:
            objects, version = list_objects()
        except Exception as error:
            if not transient(error):
                raise
            version = None
        else:
            if condition(objects):
                return objects
        remaining = deadline - clock()
        if remaining <= 0:
            raise WaitTimeout(objects)
        if version is None:
            pause(min(1.0, remaining))
            continue
        try:
            watch_changes(version, max(1, int(min(remaining, 60))))
        except Exception as error:
            if not transient(error):
                raise
            pause(min(0.5, remaining))
