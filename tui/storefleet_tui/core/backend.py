"""The seam between the screens and the world: who runs playbooks, who reads the cluster.

`LocalBackend` uses ansible-runner on this machine and the Kubernetes API. Tests drive
the app with it against the sandbox, or with a backend that serves recorded data.
`core.awx.backend.AwxBackend` (`storefleet --awx URL`) launches AWX job templates and
follows their job events instead; `backend_for` picks one from the settings.
"""

from __future__ import annotations

import threading
from typing import Protocol

from storefleet_tui.core import artifacts
from storefleet_tui.core.cluster import ClusterReader
from storefleet_tui.core.nodes import ClusterNodes
from storefleet_tui.core.replay import ReplayRun
from storefleet_tui.core.runner import (
    EventSink,
    RunHandle,
    RunnerBridge,
    RunnerSettings,
    RunRequest,
)
from storefleet_tui.core.settings import Settings
from storefleet_tui.core.store_watch import ChangeSink
from storefleet_tui.core.stores import Credentials, StoreDetails
from storefleet_tui.core.target import ClusterTarget, read_target

PLAYBOOKS = {
    "create": "storefleet.platform.store_create",
    "delete": "storefleet.platform.store_delete",
    "upgrade": "storefleet.platform.store_upgrade",
    "rollback": "storefleet.platform.store_rollback",
    "site": "storefleet.platform.site",
    "teardown": "storefleet.platform.teardown",
    "fleet_upgrade": "storefleet.platform.fleet_upgrade",
}
# The extra var store_rollback reads the Helm revision from.
ROLLBACK_REVISION_VAR = "store_rollback_revision"


class Backend(Protocol):
    def connect(self) -> ClusterTarget:
        """Find the cluster (slow: call from a worker). Raises when it cannot."""
        ...

    def watch_stores(self, sink: ChangeSink, stop: threading.Event) -> None: ...

    def nodes(self) -> ClusterNodes:
        """The cluster's real and simulated nodes (blocking). Raises when they cannot be
        listed, as for a viewer whose role may not list Nodes."""
        ...

    def store_details(self, name: str) -> StoreDetails: ...

    def credentials(self, name: str) -> Credentials: ...

    def launch(self, request: RunRequest, sink: EventSink) -> RunHandle: ...

    def past_runs(self) -> list[artifacts.PastRun]: ...

    def replay(self, run: artifacts.PastRun, sink: EventSink) -> RunHandle: ...


def refusal(backend: Backend, playbook: str) -> str:
    """Why `backend` cannot run `playbook` at all ('' when it can): asked before a form
    is filled in. A backend that runs every playbook has no `refuses`."""
    refuses = getattr(backend, "refuses", None)
    return str(refuses(playbook)) if callable(refuses) else ""


def backend_for(settings: Settings) -> Backend:
    """AWX when the settings name one (`--awx`, `awx_url`), else ansible-runner here."""
    if settings.awx_url:
        from storefleet_tui.core.awx.backend import AwxBackend

        return AwxBackend(settings)
    return LocalBackend(settings)


class LocalBackend:
    """ansible-runner on this machine, the cluster the inventory names."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.inventory = settings.inventory_path()
        self._reader: ClusterReader | None = None
        self.target: ClusterTarget | None = None

    def connect(self) -> ClusterTarget:
        target = read_target(self.inventory, self.settings.repo, self.settings.inventory)
        kubeconfig = self.settings.kubeconfig or target.kubeconfig
        if kubeconfig is None:
            raise FileNotFoundError(f"inventory {self.settings.inventory} names no kubeconfig")
        self._reader = ClusterReader(kubeconfig, target.context or None)
        self.target = target
        return target

    @property
    def reader(self) -> ClusterReader:
        if self._reader is None:
            self.connect()
        assert self._reader is not None
        return self._reader

    def watch_stores(self, sink: ChangeSink, stop: threading.Event) -> None:
        self.reader.watch_stores(sink, stop)

    def nodes(self) -> ClusterNodes:
        return self.reader.nodes()

    def store_details(self, name: str) -> StoreDetails:
        return self.reader.store_details(name)

    def credentials(self, name: str) -> Credentials:
        return self.reader.credentials(name)

    def launch(self, request: RunRequest, sink: EventSink) -> RunHandle:
        envvars = {}
        if self.settings.kubeconfig:
            envvars["STOREFLEET_KUBECONFIG"] = str(self.settings.kubeconfig)
        bridge = RunnerBridge(
            RunnerSettings(
                repo=self.settings.repo,
                inventory=self.inventory,
                artifacts_dir=self.settings.artifacts_dir,
                keep_runs=self.settings.keep_runs,
                cancel_poll_seconds=self.settings.cancel_poll_seconds,
                envvars=envvars,
            )
        )
        return bridge.launch(request, sink)

    def past_runs(self) -> list[artifacts.PastRun]:
        return artifacts.list_runs(self.settings.artifacts_dir)

    def replay(self, run: artifacts.PastRun, sink: EventSink) -> RunHandle:
        return ReplayRun(run.ident, artifacts.read_events(run.events_dir)).start(sink)
