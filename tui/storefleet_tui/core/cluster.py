"""Read the fleet from the Kubernetes API: list and watch Stores, read one store's parts,
list the nodes they may run on."""

from __future__ import annotations

import base64
import gzip
import json
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kubernetes import client, config
from kubernetes.client.exceptions import ApiException

from storefleet_tui.core.nodes import ClusterNodes, classify_nodes
from storefleet_tui.core.store_watch import CONNECT_SECONDS, LIST_SECONDS, ChangeSink, StoreWatch
from storefleet_tui.core.stores import (
    GROUP,
    PLURAL,
    SYSTEM_NAMESPACE,
    VERSION,
    Credentials,
    HelmRevision,
    Pod,
    QuotaUse,
    Store,
    StoreDetails,
    WorkflowNode,
)

CREDENTIALS_SECRET = "store-credentials"  # noqa: S105 - a Secret's name


def decode_helm_release(data: str) -> dict[str, Any]:
    """Helm 3 stores a release as base64(gzip(json)) inside the Secret's base64."""
    raw = base64.b64decode(base64.b64decode(data))
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    release: dict[str, Any] = json.loads(raw)
    return release


class ClusterReader:
    """One API client for one kubeconfig context; every call is blocking (run it in a worker)."""

    def __init__(self, kubeconfig: Path, context: str | None = None) -> None:
        if not kubeconfig.is_file():
            raise FileNotFoundError(f"kubeconfig {kubeconfig} does not exist")
        self.api_client = config.new_client_from_config(str(kubeconfig), context=context)
        self.custom = client.CustomObjectsApi(self.api_client)
        self.core = client.CoreV1Api(self.api_client)

    # -- stores --------------------------------------------------------------------

    def watch_stores(self, sink: ChangeSink, stop: threading.Event) -> None:
        """Follow the Stores until `stop` is set, reconnecting after any error."""
        StoreWatch(self.custom).run(sink, stop)

    def get_store(self, name: str) -> Store:
        obj = self.custom.get_namespaced_custom_object(
            GROUP, VERSION, SYSTEM_NAMESPACE, PLURAL, name
        )
        return Store.from_object(obj)

    # -- nodes ---------------------------------------------------------------------

    def nodes(self) -> ClusterNodes:
        """The cluster's nodes, real and simulated; raises when they may not be listed."""
        # Bounded like the Store list: an API server that never answers ends the read.
        listed = self.core.list_node(_request_timeout=(CONNECT_SECONDS, LIST_SECONDS))
        return classify_nodes(
            {node.metadata.name: node.metadata.annotations or {} for node in listed.items}
        )

    # -- one store -----------------------------------------------------------------

    def store_details(self, name: str) -> StoreDetails:
        store = self.get_store(name)
        namespace = store.namespace
        problems: list[str] = []
        pods: tuple[Pod, ...] = ()
        quota: tuple[QuotaUse, ...] = ()
        history: tuple[HelmRevision, ...] = ()
        nodes: tuple[WorkflowNode, ...] = ()
        workflow = store.workflow
        try:
            pods = tuple(self._pods(namespace))
            quota = tuple(self._quota(namespace))
            history = tuple(self.helm_history(name, namespace))
        except ApiException as error:
            problems.append(f"{namespace}: {error.reason}")
        try:
            workflow, nodes = self._workflow(name, store.workflow)
        except ApiException as error:
            if error.status != 404:  # no Argo installed: nothing to show
                problems.append(f"workflow: {error.reason}")
        return StoreDetails(store, pods, quota, history, workflow, nodes, tuple(problems))

    def _pods(self, namespace: str) -> list[Pod]:
        pods = []
        for pod in self.core.list_namespaced_pod(namespace).items:
            statuses = pod.status.container_statuses or []
            ready = sum(1 for s in statuses if s.ready)
            restarts = sum(s.restart_count for s in statuses)
            pods.append(
                Pod(
                    pod.metadata.name,
                    pod.status.phase or "",
                    f"{ready}/{len(pod.spec.containers)}",
                    restarts,
                )
            )
        return sorted(pods, key=lambda p: p.name)

    def _quota(self, namespace: str) -> list[QuotaUse]:
        uses: list[QuotaUse] = []
        for quota in self.core.list_namespaced_resource_quota(namespace).items:
            hard: Mapping[str, str] = quota.status.hard or {}
            used: Mapping[str, str] = quota.status.used or {}
            uses.extend(
                QuotaUse(key, str(used.get(key, "0")), str(value))
                for key, value in sorted(hard.items())
            )
        return uses

    def helm_history(self, release: str, namespace: str) -> list[HelmRevision]:
        secrets = self.core.list_namespaced_secret(
            namespace, label_selector=f"owner=helm,name={release}"
        )
        revisions = []
        for secret in secrets.items:
            try:
                decoded = decode_helm_release((secret.data or {}).get("release", ""))
            except (ValueError, OSError):
                continue
            info = decoded.get("info") or {}
            meta = (decoded.get("chart") or {}).get("metadata") or {}
            revisions.append(
                HelmRevision(
                    revision=int(decoded.get("version", 0)),
                    status=str(info.get("status", "")),
                    chart=f"{meta.get('name', '')}-{meta.get('version', '')}",
                    app_version=str(meta.get("appVersion", "")),
                    updated=str(info.get("last_deployed", ""))[:19].replace("T", " "),
                    description=str(info.get("description", "")),
                )
            )
        return sorted(revisions, key=lambda r: r.revision, reverse=True)

    def _workflow(self, store: str, named: str) -> tuple[str, tuple[WorkflowNode, ...]]:
        listed = self.custom.list_namespaced_custom_object(
            "argoproj.io",
            "v1alpha1",
            SYSTEM_NAMESPACE,
            "workflows",
            label_selector=f"storefleet.io/store={store}",
        )
        items = listed.get("items", [])
        if named:
            items = [i for i in items if i["metadata"]["name"] == named] or items
        if not items:
            return named, ()
        latest = max(items, key=lambda i: str(i["metadata"].get("creationTimestamp", "")))
        nodes = []
        for node_id, node in ((latest.get("status") or {}).get("nodes") or {}).items():
            nodes.append(
                WorkflowNode(
                    name=str(node.get("displayName") or node.get("name", node_id)),
                    phase=str(node.get("phase", "")),
                    type=str(node.get("type", "")),
                    children=tuple(node.get("children") or ()),
                    node_id=str(node_id),
                    message=str(node.get("message", "")),
                )
            )
        return str(latest["metadata"]["name"]), tuple(nodes)

    def credentials(self, name: str) -> Credentials:
        """Read only when the user asks to reveal or copy: never cached, never logged."""
        secret = self.core.read_namespaced_secret(CREDENTIALS_SECRET, f"store-{name}")
        data = secret.data or {}

        def field(key: str) -> str:
            return base64.b64decode(data.get(key, "")).decode()

        return Credentials(field("admin-email"), field("admin-password"))
