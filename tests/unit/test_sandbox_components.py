"""The sandbox's fault API on real processes (a small HTTP server stands in for a
component): stop, kill, pause and start again keep the command line, so the port."""

from __future__ import annotations

import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from storefleet_sandbox.components import Component, Components
from storefleet_sandbox.processes import ManagedProcess, ProcessFailed, free_port


def serves(port: int) -> bool:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1):
        return True


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Components, int]]:
    """A component named `web`: an HTTP server on a fixed port, ready when it answers."""
    port = free_port()
    argv = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    process = ManagedProcess("web", argv, tmp_path / "web.log")
    components = Components()
    components.add("web", Component(process, ready=lambda: serves(port), what="an answer"))
    process.start()
    components.wait_ready("web", timeout=30)
    yield components, port
    process.stop()


def test_stop_then_start_serves_on_the_same_port(server: tuple[Components, int]) -> None:
    components, port = server
    components.stop("web")
    assert not components.process("web").running()
    with pytest.raises(OSError):
        serves(port)
    components.start("web", timeout=30)
    assert serves(port)


def test_kill_is_a_crash_and_down_restarts(server: tuple[Components, int]) -> None:
    components, port = server
    first_pid = components.process("web").pid
    with components.down("web", kill=True, timeout=30):
        assert components.process("web").running() is False
    assert components.process("web").pid != first_pid
    assert serves(port)


def test_a_restart_outlives_the_thread_that_asked_for_it(
    server: tuple[Components, int],
) -> None:
    components, port = server
    components.stop("web")
    worker = threading.Thread(target=components.start, args=("web",), kwargs={"timeout": 30})
    worker.start()
    worker.join()
    # The component dies with its parent thread: the restart must not be tied to `worker`.
    assert components.process("web").running()
    assert serves(port)


def test_paused_answers_nothing_then_resumes(server: tuple[Components, int]) -> None:
    components, port = server
    with components.paused("web"), pytest.raises(OSError):
        serves(port)
    assert serves(port)


def test_starting_a_running_component_is_refused(server: tuple[Components, int]) -> None:
    components, _ = server
    with pytest.raises(RuntimeError, match="stop it first"):
        components.start("web")


def test_an_unknown_component_is_named(server: tuple[Components, int]) -> None:
    components, _ = server
    with pytest.raises(KeyError, match="components: web"):
        components.stop("etcd")


def test_pausing_a_stopped_component_fails(server: tuple[Components, int]) -> None:
    components, _ = server
    components.stop("web")
    with pytest.raises(ProcessFailed, match="not running"):
        components.pause("web")
