# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""The ResourceQuota a store needs, computed from the store chart's values.

A quota that is too tight blocks a rolling update half-way (the surge pod is refused),
so the sum counts every pod that can exist at once:
  Deployments with RollingUpdate (backend, worker, storefront): replicas + 1 surge pod
  Redis (Recreate) and PostgreSQL (StatefulSet): one pod each, never a surge
  two Job pods: a release creates its bootstrap and admin Jobs together, and the admin
  pod waits (retrying) for the bootstrap's migrations
  one data Job pod: a backup, restore or schema check, which the store role runs one at
  a time, possibly while a release's Jobs still run
Each component's `resources` are those of its whole pod: an init container of that pod
must not ask for more than they give. Storage counts the three claims: the database,
the admin uploads and the backups.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .quantity import QuantityError, byte_count, format_bytes, format_cpu, millicores

WORKER_MODES = ("shared", "split")
ROLLING_COMPONENTS = ("backend", "worker", "storefront")
SINGLE_POD_COMPONENTS = ("postgresql", "redis")
JOBS_PER_RELEASE = 2
DATA_JOBS = 1
# plans.<plan>.<claim>.storage of each PersistentVolumeClaim of a store.
CLAIMS = ("postgresql", "uploads", "backups")
_KEYS = (
    ("limits", "cpu"),
    ("limits", "memory"),
    ("requests", "cpu"),
    ("requests", "memory"),
)


class QuotaError(ValueError):
    """Chart values that do not allow computing a quota; the message says where."""


def _component(plan_values, plan, component):
    found = plan_values.get(component)
    if not isinstance(found, dict):
        raise QuotaError("values: plans.%s.%s is missing" % (plan, component))
    return found


def _pod_resources(component_values, where):
    """(limits.cpu m, limits.memory B, requests.cpu m, requests.memory B) of one pod."""
    resources = component_values.get("resources")
    if not isinstance(resources, dict):
        raise QuotaError("values: %s.resources is missing" % where)
    amounts = []
    for kind, resource in _KEYS:
        value = (resources.get(kind) or {}).get(resource)
        if value is None:
            # Without it the API server refuses the pod under a quota on that resource.
            raise QuotaError("values: %s.resources.%s.%s is missing" % (where, kind, resource))
        try:
            amounts.append(millicores(value) if resource == "cpu" else byte_count(value))
        except QuantityError as error:
            raise QuotaError(
                "values: %s.resources.%s.%s: %s" % (where, kind, resource, error)
            ) from None
    return amounts


def _replicas(component_values, where):
    replicas = component_values.get("replicas", 1)
    if isinstance(replicas, bool) or not isinstance(replicas, int) or replicas < 0:
        raise QuotaError("values: %s.replicas must be a whole number >= 0" % where)
    return replicas


def _plan_values(values, plan):
    """`values` plans.<plan>, or a QuotaError that says what is wrong."""
    if not isinstance(values, dict) or not isinstance(values.get("plans"), dict):
        raise QuotaError("values must be the store chart's values with a 'plans' mapping")
    plans = values["plans"]
    if plan not in plans:
        raise QuotaError(
            "plan %r is not one of the chart's plans: %s" % (plan, ", ".join(sorted(plans)))
        )
    return plans[plan]


def store_quota(values, plan, worker_mode="shared"):
    """ResourceQuota `hard` for one store with the chart `values` at `plan`."""
    plan_values = _plan_values(values, plan)
    if worker_mode not in WORKER_MODES:
        raise QuotaError(
            "worker mode %r is not one of: %s" % (worker_mode, ", ".join(WORKER_MODES))
        )
    totals = [0, 0, 0, 0]
    pods = 0

    def add(amounts, count):
        for index, amount in enumerate(amounts):
            totals[index] += amount * count

    for component in ROLLING_COMPONENTS:
        # In shared mode the backend runs the background jobs: no worker Deployment.
        if component == "worker" and worker_mode == "shared":
            continue
        where = "plans.%s.%s" % (plan, component)
        component_values = _component(plan_values, plan, component)
        replicas = _replicas(component_values, where)
        if replicas == 0:
            continue
        add(_pod_resources(component_values, where), replicas + 1)
        pods += replicas + 1

    for component in SINGLE_POD_COMPONENTS:
        where = "plans.%s.%s" % (plan, component)
        add(_pod_resources(_component(plan_values, plan, component), where), 1)
        pods += 1

    where = "plans.%s.jobs" % plan
    job_pods = JOBS_PER_RELEASE + DATA_JOBS
    add(_pod_resources(_component(plan_values, plan, "jobs"), where), job_pods)
    pods += job_pods

    claims = _claim_bytes(plan_values, plan)
    return {
        "limits.cpu": format_cpu(totals[0]),
        "limits.memory": format_bytes(totals[1]),
        "requests.cpu": format_cpu(totals[2]),
        "requests.memory": format_bytes(totals[3]),
        "pods": str(pods),
        "persistentvolumeclaims": str(len(claims)),
        "requests.storage": format_bytes(sum(claims)),
    }


def _claim_bytes(plan_values, plan):
    """The size in bytes of each claim of CLAIMS at `plan`."""
    sizes = []
    for claim in CLAIMS:
        storage = _component(plan_values, plan, claim).get("storage")
        if storage is None:
            raise QuotaError("values: plans.%s.%s.storage is missing" % (plan, claim))
        try:
            sizes.append(byte_count(storage))
        except QuantityError as error:
            raise QuotaError("values: plans.%s.%s.storage: %s" % (plan, claim, error)) from None
    return sizes


def store_claim_limit(values, plan):
    """The largest claim of a store at `plan`: the LimitRange's per-claim maximum."""
    return format_bytes(max(_claim_bytes(_plan_values(values, plan), plan)))
