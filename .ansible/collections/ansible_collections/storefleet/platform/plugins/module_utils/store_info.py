# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""Gather what the platform knows about stores: Store objects plus their namespaces."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .k8s_client import STORE_GROUP, STORE_PLURAL, STORE_VERSION, ApiException
from .naming import store_namespace


class NotInstalled(Exception):
    """The Store CRD is missing: the platform playbook has not run on this cluster."""


def list_stores(custom_api, namespace, name=None):
    """Store objects in `namespace`, or the one called `name`; [] when it does not exist."""
    selector = "metadata.name=%s" % name if name else None
    try:
        found = custom_api.list_namespaced_custom_object(
            STORE_GROUP, STORE_VERSION, namespace, STORE_PLURAL, field_selector=selector
        )
    except ApiException as error:
        if error.status == 404:
            raise NotInstalled() from None
        raise
    return sorted(found.get("items", []), key=lambda item: item["metadata"]["name"])


def _forbidden_is_none(read):
    """Run `read`; None when this identity may not read it (a viewer, say)."""
    try:
        return read()
    except ApiException as error:
        if error.status in (403, 404):
            return None
        raise


def _pod_is_ready(pod):
    conditions = pod.status.conditions or []
    return any(c.type == "Ready" and c.status == "True" for c in conditions)


def pod_counts(core_api, namespace):
    """Ready and total pods of the store's long-running workloads (finished Jobs left out)."""
    pods = _forbidden_is_none(lambda: core_api.list_namespaced_pod(namespace).items)
    if pods is None:
        return None
    running = [pod for pod in pods if pod.status.phase not in ("Succeeded", "Failed")]
    return {"ready": sum(1 for pod in running if _pod_is_ready(pod)), "total": len(running)}


def quota_use(core_api, namespace):
    """{resource: {'used': .., 'hard': ..}} over the namespace's ResourceQuotas."""
    quotas = _forbidden_is_none(lambda: core_api.list_namespaced_resource_quota(namespace).items)
    if quotas is None:
        return None
    use = {}
    for item in quotas:
        hard = item.status.hard or item.spec.hard or {}
        used = item.status.used or {}
        for resource, limit in hard.items():
            use[resource] = {"hard": limit, "used": used.get(resource, "0")}
    return use


def helm_revision(core_api, namespace, release):
    """Revision of the deployed Helm release, read from the labels of Helm's release
    Secrets (never their data), so no helm binary and no secret value is involved."""
    selector = "owner=helm,name=%s,status=deployed" % release
    secrets = _forbidden_is_none(
        lambda: core_api.list_namespaced_secret(namespace, label_selector=selector).items
    )
    if not secrets:
        return None
    versions = [int(s.metadata.labels.get("version", "0")) for s in secrets]
    return max(versions) or None


def namespace_exists(core_api, namespace):
    try:
        core_api.read_namespace(namespace)
        return True
    except ApiException as error:
        if error.status == 404:
            return False
        if error.status == 403:
            return None
        raise


def describe(store, core_api):
    """One store as store_info returns it."""
    metadata = store["metadata"]
    spec = store.get("spec") or {}
    status = store.get("status") or {}
    name = metadata["name"]
    namespace = status.get("namespace") or store_namespace(name)
    exists = namespace_exists(core_api, namespace)
    pods = pod_counts(core_api, namespace) if exists else None
    return {
        "name": name,
        "namespace": namespace,
        "namespace_exists": exists,
        "engine": spec.get("engine"),
        "plan": spec.get("plan"),
        "seed_demo_data": spec.get("seedDemoData"),
        "domain": spec.get("domain"),
        "phase": status.get("phase") or "Pending",
        "message": status.get("message", ""),
        "urls": status.get("urls") or {},
        "workflow": status.get("workflow"),
        "helm_revision": helm_revision(core_api, namespace, name) if exists else None,
        "ready_pods": pods["ready"] if pods else None,
        "pods": pods,
        "quota": quota_use(core_api, namespace) if exists else None,
        "conditions": status.get("conditions") or [],
        "started_at": status.get("startedAt"),
        "ready_at": status.get("readyAt"),
        "created_at": metadata.get("creationTimestamp"),
        "generation": metadata.get("generation"),
        "observed_generation": status.get("observedGeneration"),
    }
