"""A cancelled run's processes: found by the file their command line names, with every
descendant, and stopped — detached (setsid) ones included, as Ansible's workers are."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psutil

from storefleet_tui.core.run_processes import kill_processes_naming, processes_naming

# A detached process naming the file, with a child that does not name it.
WORKER = "import subprocess, sys, time; subprocess.Popen(['sleep', '60']); time.sleep(60)"


def start_worker(marker: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", WORKER, str(marker)], start_new_session=True)


def wait_for_child(worker: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 10
    while not psutil.Process(worker.pid).children():
        assert time.monotonic() < deadline, "the worker never started its child"
        time.sleep(0.05)


def test_the_run_and_its_descendants_are_found_and_killed(tmp_path: Path) -> None:
    marker = tmp_path / "run-1" / "extravars.yml"
    other = start_worker(tmp_path / "run-2" / "extravars.yml")
    worker = start_worker(marker)
    try:
        wait_for_child(other)
        wait_for_child(worker)
        child = psutil.Process(worker.pid).children()[0]
        assert {p.pid for p in processes_naming(marker)} == {worker.pid, child.pid}

        assert kill_processes_naming(marker) == 2
        assert worker.wait(10) == -9
        psutil.wait_procs([child], timeout=10)
        assert not child.is_running() or child.status() == psutil.STATUS_ZOMBIE
        assert other.poll() is None, "another run's process was touched"
        assert processes_naming(marker) == []
    finally:
        kill_processes_naming(tmp_path)
        for process in (worker, other):
            process.wait(10)
