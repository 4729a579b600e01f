"""AWX as the TUI's backend: runs are AWX jobs of the Storefleet job templates.

A run request names a playbook; AWX runs it as the job template configured for it
(roles/awx, inventories/*/group_vars/storefleet_awx), with the request's values as
the template's survey answers. The job is followed through
/api/v2/jobs/<id>/job_events/?counter__gt=<n>&order_by=counter into the same event
model a local run feeds. The fleet is still read from the cluster, with the
inventory's kubeconfig, by the local backend's cluster reader.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storefleet_tui.core import artifacts, naming
from storefleet_tui.core.awx import survey
from storefleet_tui.core.awx.client import PAGE_SIZE, AwxClient, AwxError
from storefleet_tui.core.awx.events import runner_event
from storefleet_tui.core.backend import PLAYBOOKS, Backend, LocalBackend
from storefleet_tui.core.nodes import ClusterNodes
from storefleet_tui.core.replay import ReplayRun
from storefleet_tui.core.runner import EventSink, RunHandle, RunRequest, limit_argument
from storefleet_tui.core.settings import Settings
from storefleet_tui.core.store_watch import ChangeSink
from storefleet_tui.core.stores import Credentials, StoreDetails
from storefleet_tui.core.target import ClusterTarget

# The job template of each playbook the TUI runs (inventories/*/group_vars/storefleet_awx).
JOB_TEMPLATES = {
    PLAYBOOKS["create"]: "store-create",
    PLAYBOOKS["delete"]: "store-delete",
    PLAYBOOKS["upgrade"]: "store-upgrade",
    PLAYBOOKS["rollback"]: "store-rollback",
    PLAYBOOKS["site"]: "platform-site",
    PLAYBOOKS["fleet_upgrade"]: "fleet-upgrade",
}
# store-delete asks for the name twice; the TUI's delete screen has had it typed.
CONFIRMATION = "store_name_confirmation"
FINISHED = frozenset({"successful", "failed", "error", "canceled"})


@dataclass(frozen=True)
class AwxPastRun(artifacts.PastRun):
    """A job AWX keeps: the runs screen lists it, opening it follows its events."""

    job_id: int = 0


def past_run(job: dict[str, Any]) -> AwxPastRun:
    started = job.get("started") or job.get("created") or ""
    when = datetime.fromisoformat(started.replace("Z", "+00:00")) if started else datetime.now(UTC)
    return AwxPastRun(
        ident=f"awx job {job['id']}",
        path=Path(f"/api/v2/jobs/{job['id']}/"),
        playbook=str(job.get("name", "")),
        status=str(job.get("status", "unknown")),
        started=when,
        job_id=int(job["id"]),
    )


class AwxJobRun:
    """Follows one AWX job in a thread, handing each new event to the sink."""

    def __init__(self, client: AwxClient, job_id: int, poll_seconds: float) -> None:
        self.client = client
        self.job_id = job_id
        self.ident = f"awx job {job_id}"
        self.poll_seconds = poll_seconds
        self.status = "running"
        self.problem = ""
        """Why following stopped early (AWX went away ...), in plain words."""
        self._cancel = threading.Event()
        self._cancel_sent = False
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_counter = 0

    def start(self, sink: EventSink) -> AwxJobRun:
        self._thread = threading.Thread(
            target=self._follow, args=(sink,), daemon=True, name=f"awx-job-{self.job_id}"
        )
        self._thread.start()
        return self

    def cancel(self) -> None:
        """Asks for a cancel; the follower sends it at once (POST /jobs/<id>/cancel/)."""
        self._cancel.set()
        self._wake.set()

    def wait(self, timeout: float | None = None) -> str:
        if self._thread is not None:
            self._thread.join(timeout)
        return self.status

    def _follow(self, sink: EventSink) -> None:
        try:
            while True:
                self._send_cancel()
                if self._drain(sink) == PAGE_SIZE:
                    continue  # more are waiting
                job = self.client.job(self.job_id)
                status = str(job.get("status", ""))
                if status in FINISHED and job.get("event_processing_finished", True):
                    self._drain(sink)  # events stored after the last read
                    self.status = "failed" if status == "error" else status
                    if status == "error":
                        self.problem = str(job.get("job_explanation") or "AWX reports an error")
                    return
                self._wake.wait(self.poll_seconds)
                self._wake.clear()
        except AwxError as error:
            self.status = "failed"
            self.problem = f"following AWX job {self.job_id} stopped: {error}"

    def _drain(self, sink: EventSink) -> int:
        events = self.client.job_events(self.job_id, self._last_counter)
        for event in events:
            sink(runner_event(event, self.job_id))
            self._last_counter = max(self._last_counter, int(event["counter"]))
        return len(events)

    def _send_cancel(self) -> None:
        if self._cancel.is_set() and not self._cancel_sent:
            self._cancel_sent = True
            # A 405 means it finished first: the job's own status says how.
            with contextlib.suppress(AwxError):
                self.client.cancel(self.job_id)


class AwxBackend:
    """Runs through AWX; reads the fleet from the cluster as the local backend does."""

    def __init__(
        self,
        settings: Settings,
        client: AwxClient | None = None,
        cluster: Backend | None = None,
    ) -> None:
        self.settings = settings
        self.client = client or AwxClient(
            settings.awx_url, settings.awx_token, verify_tls=settings.awx_verify_tls
        )
        # Only its cluster reading is used: runs go to AWX.
        self.cluster: Backend = cluster or LocalBackend(settings)

    def connect(self) -> ClusterTarget:
        target = self.cluster.connect()
        return replace(target, inventory=f"{target.inventory} · AWX {self.client.host}")

    def watch_stores(self, sink: ChangeSink, stop: threading.Event) -> None:
        self.cluster.watch_stores(sink, stop)

    def nodes(self) -> ClusterNodes:
        return self.cluster.nodes()

    def store_details(self, name: str) -> StoreDetails:
        return self.cluster.store_details(name)

    def credentials(self, name: str) -> Credentials:
        return self.cluster.credentials(name)

    def refuses(self, playbook: str) -> str:
        """Why AWX cannot run `playbook`: roles/awx configures no job template for it,
        and a run must not go around AWX unseen."""
        if playbook in JOB_TEMPLATES:
            return ""
        return f"{playbook} has no job template in AWX; run storefleet without --awx"

    def launch(self, request: RunRequest, sink: EventSink) -> RunHandle:
        name = JOB_TEMPLATES.get(request.playbook)
        if name is None:
            raise AwxError(self.refuses(request.playbook))
        template = self.client.job_template(name)
        spec = (
            self.client.survey_spec(int(template["id"])) if template.get("survey_enabled") else {}
        )
        values = dict(request.extravars)
        if name == "store-delete" and "store_name" in values:
            values.setdefault(CONFIRMATION, values["store_name"])
        answers, _ = survey.answers(spec, values)
        job_id = self.client.launch(template, answers, self._limit(template, request))
        return AwxJobRun(self.client, job_id, self.settings.awx_poll_seconds).start(sink)

    def _limit(self, template: Mapping[str, Any], request: RunRequest) -> str | None:
        """The job's limit: the request's store names, checked as the local runner checks
        them. A template that does not ask for a limit would run on every store (AWX
        ignores the field), so the run is refused before AWX is asked."""
        if not request.limit:
            return None
        if not template.get("ask_limit_on_launch"):
            raise AwxError(
                f"job template {template['name']} does not ask for a limit on launch, so AWX "
                "would run it on every store: configure it with "
                "ansible-playbook -i inventories/<env> storefleet.platform.awx_configure"
            )
        try:
            return limit_argument(request.limit, naming.load_validator(self.settings.repo))
        except (ValueError, naming.NamingRulesError) as error:
            raise AwxError(str(error)) from None

    def past_runs(self) -> list[artifacts.PastRun]:
        return [past_run(job) for job in self.client.recent_jobs(self.settings.keep_runs)]

    def replay(self, run: artifacts.PastRun, sink: EventSink) -> RunHandle:
        if isinstance(run, AwxPastRun):
            return AwxJobRun(self.client, run.job_id, self.settings.awx_poll_seconds).start(sink)
        return ReplayRun(run.ident, artifacts.read_events(run.events_dir)).start(sink)
