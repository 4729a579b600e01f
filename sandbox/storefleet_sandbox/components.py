"""The fault API: stop, kill, pause and start again one component of a running sandbox,
as an outage, a crash or a hung process would, keeping its command line (so its ports),
its data directory and its certificates.

A component is a process the sandbox started and a check that says it serves again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .processes import ManagedProcess


def always_ready() -> bool:
    """For a component with nothing to ask: serving once it runs."""
    return True


@dataclass
class Component:
    """One restartable process of the sandbox."""

    process: ManagedProcess
    ready: Callable[[], bool] = always_ready
    what: str = "its start"
    # Called with the new process once it runs again (the controller's pid file).
    on_start: Callable[[ManagedProcess], None] | None = None


class Components:
    """The sandbox's components by name, and what a fault does to them."""

    def __init__(self) -> None:
        self._components: dict[str, Component] = {}
        self._lock = threading.Lock()

    def add(self, name: str, component: Component) -> None:
        with self._lock:
            self._components[name] = component

    def names(self) -> list[str]:
        with self._lock:
            return sorted(self._components)

    def get(self, name: str) -> Component:
        with self._lock:
            try:
                return self._components[name]
            except KeyError:
                known = ", ".join(sorted(self._components)) or "none yet"
                raise KeyError(f"no sandbox component {name!r} (components: {known})") from None

    def process(self, name: str) -> ManagedProcess:
        return self.get(name).process

    def wait_ready(self, name: str, timeout: float) -> None:
        component = self.get(name)
        component.process.wait_until(component.ready, timeout, component.what)

    def stop(self, name: str, kill: bool = False) -> None:
        """Stop the component: SIGTERM (SIGKILL after a grace), or SIGKILL at once."""
        process = self.process(name)
        if kill:
            process.kill()
        else:
            process.stop()

    def pause(self, name: str) -> None:
        """Freeze the component (SIGSTOP): its ports stay open and nothing answers."""
        self.process(name).pause()

    def resume(self, name: str) -> None:
        self.process(name).resume()

    def start(self, name: str, timeout: float = 90) -> None:
        """Start a stopped component again, as it was, and wait until it serves."""
        component = self.get(name)
        process = component.process
        if process.running():
            raise RuntimeError(f"sandbox component {name} is running: stop it first")
        _start_kept(process)
        process.wait_until(component.ready, timeout, component.what)
        if component.on_start is not None:
            component.on_start(process)

    @contextmanager
    def down(self, name: str, kill: bool = False, timeout: float = 90) -> Iterator[None]:
        """The component stopped for the body of the `with`, then started again."""
        self.stop(name, kill=kill)
        try:
            yield
        finally:
            self.start(name, timeout=timeout)

    @contextmanager
    def paused(self, name: str) -> Iterator[None]:
        """The component frozen for the body of the `with`, then resumed."""
        self.pause(name)
        try:
            yield
        finally:
            self.resume(name)


def _start_kept(process: ManagedProcess) -> None:
    """Start `process` from a thread that lives as long as it does.

    A component dies with the thread that started it (PR_SET_PDEATHSIG follows the
    parent thread, not the parent process): a restart from a short-lived thread, such
    as a test's worker, would end the component with that thread.
    """
    started = threading.Event()
    failures: list[BaseException] = []

    def keep() -> None:
        try:
            process.start()
        except BaseException as error:  # handed to the caller below
            failures.append(error)
            return
        finally:
            started.set()
        while process.running():
            time.sleep(1.0)

    threading.Thread(target=keep, name=f"keep-{process.name}", daemon=True).start()
    started.wait()
    if failures:
        raise failures[0]
