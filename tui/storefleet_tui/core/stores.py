"""Store objects (`stores.storefleet.io`) as plain Python values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storefleet_tui.core.events import parse_time

GROUP = "storefleet.io"
VERSION = "v1alpha1"
PLURAL = "stores"
SYSTEM_NAMESPACE = "storefleet-system"
PHASES = ("Pending", "Provisioning", "Ready", "Failed", "Deleting")
# How far a store without status conditions is, by its phase.
_PHASE_PROGRESS = {"Ready": "done", "Failed": "failed", "Deleting": "deleting"}


@dataclass(frozen=True)
class Store:
    name: str
    phase: str
    plan: str = ""
    message: str = ""
    created: datetime | None = None
    urls: Mapping[str, str] = field(default_factory=dict)
    workflow: str = ""
    helm_revision: int | None = None
    conditions: tuple[Mapping[str, Any], ...] = ()
    resource_version: str = ""
    backend_image: str = ""

    @property
    def namespace(self) -> str:
        return f"store-{self.name}"

    @property
    def backend_version(self) -> str:
        """The backend image's tag ('' without one): what a fleet upgrade changes."""
        _, colon, tag = self.backend_image.rpartition(":")
        return tag if colon and "/" not in tag else ""

    @property
    def progress(self) -> str:
        """`done/total` from the status conditions, or the phase's own sense of done."""
        if self.conditions:
            done = sum(1 for c in self.conditions if c.get("status") == "True")
            return f"{done}/{len(self.conditions)}"
        return _PHASE_PROGRESS.get(self.phase, "…")

    @classmethod
    def from_object(cls, obj: Mapping[str, Any]) -> Store:
        meta = obj.get("metadata") or {}
        spec = obj.get("spec") or {}
        status = obj.get("status") or {}
        revision = status.get("helmRevision")
        return cls(
            name=str(meta.get("name", "")),
            phase=str(status.get("phase") or "Pending"),
            plan=str(spec.get("plan", "")),
            message=str(status.get("message", "")),
            created=parse_time(meta.get("creationTimestamp")),
            urls=dict(status.get("urls") or {}),
            workflow=str(status.get("workflow", "")),
            helm_revision=int(revision) if isinstance(revision, int) else None,
            conditions=tuple(status.get("conditions") or ()),
            resource_version=str(meta.get("resourceVersion", "")),
            backend_image=str(spec.get("backendImage") or ""),
        )


@dataclass(frozen=True)
class StoreChange:
    """What a watch saw: `ADDED`, `MODIFIED`, `DELETED`, `SYNCED` (a full relist), or
    `RECONNECTING` (the watch broke: `reason`, and the seconds until the next try)."""

    kind: str
    store: Store | None = None
    stores: tuple[Store, ...] = ()
    reason: str = ""
    retry_in: float = 0.0


@dataclass(frozen=True)
class Pod:
    name: str
    phase: str
    ready: str
    restarts: int


@dataclass(frozen=True)
class QuotaUse:
    resource: str
    used: str
    hard: str


@dataclass(frozen=True)
class HelmRevision:
    revision: int
    status: str
    chart: str
    app_version: str
    updated: str
    description: str


@dataclass(frozen=True)
class WorkflowNode:
    name: str
    phase: str
    type: str
    children: tuple[str, ...]
    node_id: str
    message: str = ""


@dataclass(frozen=True)
class StoreDetails:
    store: Store
    pods: tuple[Pod, ...] = ()
    quota: tuple[QuotaUse, ...] = ()
    helm_history: tuple[HelmRevision, ...] = ()
    workflow: str = ""
    workflow_nodes: tuple[WorkflowNode, ...] = ()
    problems: tuple[str, ...] = ()
    """What could not be read (no namespace yet, no rights): shown, not raised."""


@dataclass(frozen=True)
class Credentials:
    email: str
    password: str

    def __repr__(self) -> str:  # never print the password by accident
        return f"Credentials(email={self.email!r}, password=<hidden>)"
