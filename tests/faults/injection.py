"""Inject a fault in the middle of a store step, then check the store converged.

A store run is a playbook run in a thread; its ansible-runner events say when a step's
first task starts (the task's file is `roles/store/tasks/phases/<step>.yml`), which is
when the fault lands. The store's credentials are sampled all along: every value the
`store-credentials` Secret ever held is kept, so a rewrite is seen even if it is undone.
"""

from __future__ import annotations

import base64
import concurrent.futures
import json
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storefleet_sandbox import SandboxClient
from tests.integration.ansible_run import (
    PLATFORM_NAMESPACE,
    PlaybookRun,
    namespace_exists,
    run_playbook,
    store,
)

CREATE = "storefleet.platform.store_create"
DELETE = "storefleet.platform.store_delete"
CREDENTIALS_SECRET = "store-credentials"
ARGO = {"store_orchestrator": "argo"}


def step_of(event: dict[str, Any]) -> str | None:
    """The store step a task-start event belongs to, if any."""
    if event.get("event") != "playbook_on_task_start":
        return None
    path = str(event.get("event_data", {}).get("task_path", ""))
    marker = "/roles/store/tasks/phases/"
    if marker not in path:
        return None
    return path.split(marker, 1)[1].split(".yml", 1)[0]


class StoreRun:
    """One playbook run on a store, in a thread; `reached(step)` waits for a step."""

    def __init__(
        self,
        sandbox: SandboxClient,
        playbook: str,
        name: str,
        workdir: Path,
        extravars: Mapping[str, Any] | None = None,
    ) -> None:
        self.sandbox = sandbox
        self.playbook = playbook
        self.name = name
        self.workdir = workdir
        self.extravars = {"store_name": name, **(extravars or {})}
        self.steps_started: list[str] = []
        self.cancel = threading.Event()
        self._changed = threading.Condition()
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self._future: concurrent.futures.Future[PlaybookRun] | None = None

    def start(self) -> StoreRun:
        self._future = self._pool.submit(
            run_playbook,
            self.sandbox,
            self.playbook,
            self.workdir,
            self.extravars,
            event_handler=self._on_event,
            cancel_callback=self.cancel.is_set,
        )
        return self

    def _on_event(self, event: dict[str, Any]) -> bool:
        step = step_of(event)
        if step is not None:
            with self._changed:
                if step not in self.steps_started:
                    self.steps_started.append(step)
                self._changed.notify_all()
        return True  # keep the event in the run's artifacts

    def reached(self, step: str, timeout: float = 300) -> None:
        """Wait until the run starts the first task of `step` (fails if it ends first)."""
        assert self._future is not None, "start the run first"
        deadline = time.monotonic() + timeout
        with self._changed:
            while step not in self.steps_started:
                if self._future.done():
                    run = self._future.result()
                    raise AssertionError(f"the run ended before step {step}: {run.explain()}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no step {step} after {timeout:.0f}s")
                self._changed.wait(min(left, 1.0))

    def result(self, timeout: float = 900) -> PlaybookRun:
        assert self._future is not None, "start the run first"
        try:
            return self._future.result(timeout)
        finally:
            self._pool.shutdown(wait=False)


def run_store(
    sandbox: SandboxClient,
    playbook: str,
    name: str,
    workdir: Path,
    extravars: Mapping[str, Any] | None = None,
) -> PlaybookRun:
    """One whole run, in this thread."""
    return run_playbook(sandbox, playbook, workdir, {"store_name": name, **(extravars or {})})


def credentials(sandbox: SandboxClient, name: str) -> dict[str, str] | None:
    """The store-credentials Secret's data (decoded), or None when there is none yet."""
    found = sandbox.kubectl(
        "-n",
        f"store-{name}",
        "get",
        "secret",
        CREDENTIALS_SECRET,
        "--ignore-not-found",
        "-o",
        "jsonpath={.data}",
        check=False,
    ).strip()
    if not found:
        return None
    return {key: base64.b64decode(value).decode() for key, value in json.loads(found).items()}


@dataclass
class CredentialsWatch:
    """Samples the store's credentials while a fault plays out: every distinct value."""

    sandbox: SandboxClient
    name: str
    interval: float = 0.5
    seen: list[dict[str, str]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def sample(self) -> None:
        try:
            value = credentials(self.sandbox, self.name)
        except Exception:
            return
        if value is not None and value not in self.seen:
            self.seen.append(value)

    @contextmanager
    def running(self) -> Iterator[CredentialsWatch]:
        thread = threading.Thread(target=self._watch, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join(timeout=10)
            self.sample()

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()


def leftovers(sandbox: SandboxClient, name: str) -> list[str]:
    """What a converged store must not have: failed or pending pods, unfinished Jobs,
    Helm releases not deployed, the store's lock, running workflows of the store."""
    found = []
    pods = sandbox.kubectl(
        "-n",
        f"store-{name}",
        "get",
        "pods",
        "-o",
        "jsonpath={range .items[*]}{.metadata.name} {.status.phase}{'\\n'}{end}",
        check=False,
    )
    for line in pods.splitlines():
        pod, _, phase = line.partition(" ")
        if phase not in ("Running", "Succeeded"):
            found.append(f"pod {pod} {phase}")
    lock = sandbox.kubectl(
        "-n",
        PLATFORM_NAMESPACE,
        "get",
        "lease",
        f"store-{name}",
        "--ignore-not-found",
        "-o",
        "name",
    ).strip()
    if lock:
        found.append(f"the store's lock {lock}")
    workflows = sandbox.kubectl(
        "-n",
        PLATFORM_NAMESPACE,
        "get",
        "workflows",
        "-l",
        f"storefleet.io/store={name}",
        "--ignore-not-found",
        "-o",
        "jsonpath={range .items[*]}{.metadata.name} {.status.phase}{'\\n'}{end}",
        check=False,
    )
    for line in workflows.splitlines():
        workflow, _, phase = line.partition(" ")
        if phase in ("", "Pending", "Running"):
            found.append(f"workflow {workflow} {phase or 'unstarted'}")
    return found


def assert_ready(sandbox: SandboxClient, name: str, watch: CredentialsWatch) -> None:
    """The store is Ready, its credentials were written once, nothing is left over."""
    found = store(sandbox, name)
    assert found is not None, f"no Store {name}"
    assert found.get("status", {}).get("phase") == "Ready", found.get("status")
    assert len(watch.seen) == 1, f"the credentials changed: {len(watch.seen)} distinct values"
    assert credentials(sandbox, name) == watch.seen[0]
    assert leftovers(sandbox, name) == []


def discard_store(sandbox: SandboxClient, name: str) -> None:
    """Remove what a fault test left of its store, without store_delete (tested on its
    own): the Store (its count frees the platform's cap), its lock and its namespace,
    which goes on in the background (the simulated kubelets let pods go at once)."""
    sandbox.kubectl(
        "-n", PLATFORM_NAMESPACE, "delete", "stores.storefleet.io", name, "--ignore-not-found"
    )  # fmt: skip
    sandbox.kubectl(
        "-n", PLATFORM_NAMESPACE, "delete", "lease", f"store-{name}", "--ignore-not-found"
    )  # fmt: skip
    sandbox.kubectl("delete", "namespace", f"store-{name}", "--ignore-not-found", "--wait=false")


def assert_absent(sandbox: SandboxClient, name: str) -> None:
    assert store(sandbox, name) is None, f"Store {name} is still there"
    assert not namespace_exists(sandbox, name), f"namespace store-{name} is still there"
    assert leftovers(sandbox, name) == []


@dataclass
class FaultRow:
    fault: str
    step: str
    outcome: str
    seconds: float


@dataclass
class FaultTable:
    """The suite's table: one row per fault, printed at the end of the session."""

    rows: list[FaultRow] = field(default_factory=list)

    def render(self) -> str:
        header = ("fault", "step", "outcome", "seconds to converge")
        lines = [header] + [
            (row.fault, row.step, row.outcome, f"{row.seconds:.1f}") for row in self.rows
        ]
        widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
        rule = "  ".join("-" * width for width in widths)
        text = [
            "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
            for line in lines
        ]
        return "\n".join([text[0], rule, *text[1:]])


TABLE = FaultTable()


@contextmanager
def fault_row(fault: str, step: str) -> Iterator[None]:
    """Time the body (fault injected to store converged) and record its outcome."""
    started = time.monotonic()
    outcome = "converged"
    try:
        yield
    except BaseException as error:
        outcome = "xfail" if type(error).__name__ == "XFailed" else "FAILED"
        raise
    finally:
        TABLE.rows.append(FaultRow(fault, step, outcome, time.monotonic() - started))
