"""Run playbooks through ansible-runner in a thread; hand each event to a sink at once.

The sink is the only coupling to a user interface: the TUI passes one that posts a
message, tests pass a list's `append`. Cancel is polled by runner every
`cancel_poll_seconds` (its `pexpect_timeout`), so a cancel lands within that time.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import ansible_runner

from storefleet_tui.core import artifacts, extravars_file, naming, run_processes
from storefleet_tui.core.secret_guard import refuse_secrets

EventSink = Callable[[Mapping[str, Any]], None]
# The only command-line text a run adds: runner shlex-splits `cmdline`, so nothing a
# user typed ever goes there.
FLUSH_CACHE = "--flush-cache"


@dataclass(frozen=True)
class RunRequest:
    """A playbook to run: FQCN (`storefleet.platform.store_create`) or a path."""

    playbook: str
    extravars: dict[str, Any] = field(default_factory=dict)
    title: str = ""
    limit: tuple[str, ...] = ()
    """Store names the run is limited to (--limit); empty: the playbook's own hosts."""
    flush_cache: bool = False
    """Read the inventory afresh (--flush-cache): a store created since is seen."""

    def __post_init__(self) -> None:
        # extravars land in runner's `command` artifact and env/: nothing secret here.
        refuse_secrets(self.extravars)


def limit_argument(names: tuple[str, ...], check: naming.Validator) -> str | None:
    """The one --limit argument for `names`, each a valid store name (so it holds no
    ',', ':', '&', '!' or pattern that would select other hosts, and the rules reserve the
    inventory's group names); None for no limit."""
    if not names:
        return None
    for name in names:
        problem = check(name)
        if problem:
            raise ValueError(f"not run: --limit takes store names only: {problem}")
    return ",".join(names)


class RunHandle(Protocol):
    """A run in progress, whatever runs it (ansible-runner here, a replay in tests)."""

    ident: str

    def cancel(self) -> None: ...

    def wait(self, timeout: float | None = None) -> str:
        """Block until the run ends; return its final status."""
        ...


@dataclass
class RunnerSettings:
    repo: Path
    inventory: Path
    artifacts_dir: Path
    keep_runs: int = 50
    cancel_poll_seconds: float = 0.2
    envvars: dict[str, str] = field(default_factory=dict)


class RunnerRun:
    """One ansible-runner run in its own thread."""

    def __init__(self, ident: str, artifact_dir: Path) -> None:
        self.ident = ident
        self.artifact_dir = artifact_dir
        self.extravars_path = artifact_dir / "extravars.yml"
        self.status = "starting"
        self._cancel = threading.Event()
        self._done = threading.Event()
        self.thread: threading.Thread | None = None

    def cancel(self) -> None:
        self._cancel.set()

    def cancel_requested(self) -> bool:
        """ansible-runner's cancel callback: once a cancel is asked, stop the run's
        detached workers and their commands too (runner kills only the main process)."""
        if not self._cancel.is_set():
            return False
        run_processes.kill_processes_naming(self.extravars_path)
        return True

    def finished(self, runner: Any) -> None:
        self.status = str(runner.status)
        self._done.set()

    def wait(self, timeout: float | None = None) -> str:
        self._done.wait(timeout)
        if self.thread is not None:
            self.thread.join(timeout)
        return self.status


class RunnerBridge:
    """Launch playbooks with the settings of one inventory."""

    def __init__(self, settings: RunnerSettings) -> None:
        self.settings = settings

    def launch(self, request: RunRequest, sink: EventSink) -> RunnerRun:
        settings = self.settings
        limit = (
            limit_argument(request.limit, naming.load_validator(settings.repo))
            if request.limit
            else None
        )
        ident = artifacts.new_ident(request.playbook)
        # Runner needs a private data dir; a fixed one next to the artifacts keeps its
        # env/ and inventory/ scratch out of the working directory.
        private = settings.artifacts_dir.parent / "private"
        private.mkdir(parents=True, exist_ok=True)
        artifacts.rotate(settings.artifacts_dir, max(settings.keep_runs - 1, 0))
        run = RunnerRun(ident, settings.artifacts_dir / ident)
        artifacts.write_label(run.artifact_dir, request.playbook, request.extravars)

        def on_event(event: Mapping[str, Any]) -> bool:
            sink(event)
            return True  # keep runner's own job_events/ copy: replay reads it

        thread, _ = ansible_runner.run_async(
            private_data_dir=str(private),
            project_dir=str(settings.repo),
            artifact_dir=str(settings.artifacts_dir),
            ident=ident,
            playbook=request.playbook,
            inventory=str(settings.inventory),
            # Its own argv item after --limit: never split, never templated.
            limit=limit,
            cmdline=FLUSH_CACHE if request.flush_cache else None,
            # A file, not a dict: runner would pass a dict as `-e <json>`, which Ansible
            # templates; the file marks every value as text.
            extravars=str(extravars_file.write(run.extravars_path, request.extravars)),
            envvars={
                # ansible-playbook from the same environment as this package, first.
                "PATH": os.pathsep.join(
                    (str(Path(sys.executable).parent), os.environ.get("PATH", ""))
                ),
                **settings.envvars,
                "ANSIBLE_CONFIG": str(settings.repo / "ansible.cfg"),
            },
            settings={
                "pexpect_timeout": settings.cancel_poll_seconds,
                "suppress_ansible_output": True,
            },
            suppress_env_files=True,
            quiet=True,
            event_handler=on_event,
            cancel_callback=run.cancel_requested,
            finished_callback=run.finished,
        )
        run.thread = thread
        return run
