"""Run the sandbox cluster outside pytest.

python -m storefleet_sandbox up [--dir .sandbox] [--nodes 3] [--real-nodes 1]
    start in the background
python -m storefleet_sandbox down [--dir .sandbox]
    stop it, leave nothing behind
python -m storefleet_sandbox status [--dir .sandbox]
python -m storefleet_sandbox leftovers
    list what a stopped sandbox left (exit 1 if anything)
python -m storefleet_sandbox serve [--dir .sandbox] [--nodes 3] [--real-nodes 1]
    run in the foreground

--nodes: simulated (kwok) nodes; --real-nodes: nodes that run containers (0, 1 or 2;
they need root and `make tools`).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import host, leftovers
from .client import REPO_ROOT
from .cluster import Sandbox, clear_host

READY_FILE = "ready"
PID_FILE = "sandbox.pid"


def serve(directory: Path, nodes: int, real_nodes: int) -> int:
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: stop.set())
    sandbox = Sandbox(directory, nodes=nodes, real_nodes=real_nodes)
    started = time.monotonic()
    try:
        sandbox.start()
    except Exception as error:  # report why to whoever waits on `up`
        print(f"sandbox failed to start: {error}", file=sys.stderr, flush=True)
        (directory / "failed").write_text(str(error))
        return 1
    (directory / PID_FILE).write_text(str(os.getpid()))
    (directory / READY_FILE).write_text(f"{time.monotonic() - started:.1f}\n")
    print(f"sandbox ready in {time.monotonic() - started:.1f}s", flush=True)
    try:
        stop.wait()
    finally:
        sandbox.stop()
        for name in (PID_FILE, READY_FILE):
            (directory / name).unlink(missing_ok=True)
    return 0


def running_pid(directory: Path) -> int | None:
    try:
        pid = int((directory / PID_FILE).read_text())
        os.kill(pid, 0)
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return None
    return pid


def up(directory: Path, nodes: int, real_nodes: int, timeout: float = 420) -> int:
    if running_pid(directory):
        print(f"sandbox already running; KUBECONFIG={directory / 'kubeconfig'}")
        return 0
    directory.mkdir(parents=True, exist_ok=True)
    log = (directory.parent / f"{directory.name}.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "storefleet_sandbox",
            "serve",
            "--dir",
            str(directory),
            "--nodes",
            str(nodes),
            "--real-nodes",
            str(real_nodes),
        ],
        cwd=REPO_ROOT,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (directory / READY_FILE).exists():
            print(f"sandbox ready in {(directory / READY_FILE).read_text().strip()}s")
            print(f"export KUBECONFIG={directory / 'kubeconfig'}")
            return 0
        if process.poll() is not None:
            print(f"sandbox failed to start; see {log.name}", file=sys.stderr)
            return 1
        time.sleep(0.2)
    process.terminate()
    print(f"sandbox not ready after {timeout:.0f}s; see {log.name}", file=sys.stderr)
    return 1


def clear_leftovers() -> None:
    """Undo what a crashed sandbox's real nodes left, unless a running sandbox owns them."""
    if os.geteuid() != 0 or not host.RUN_DIR.exists():
        return
    lock = host.HostLock()
    try:
        lock.acquire(f"pid {os.getpid()}, clearing leftovers")
    except host.HostError:
        return
    try:
        clear_host()
    finally:
        lock.release()


def down(directory: Path, timeout: float = 120) -> int:
    pid = running_pid(directory)
    if pid is None:
        clear_leftovers()
        print("sandbox not running")
        return 0
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            clear_leftovers()
            print("sandbox stopped")
            return 0
        time.sleep(0.2)
    print(f"sandbox (pid {pid}) did not stop within {timeout:.0f}s", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m storefleet_sandbox")
    parser.add_argument("command", choices=["up", "down", "status", "serve", "leftovers"])
    parser.add_argument("--dir", type=Path, default=REPO_ROOT / ".sandbox")
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--real-nodes", type=int, default=1, choices=[0, 1, 2])
    args = parser.parse_args(argv)
    directory = args.dir.resolve()
    if args.command == "leftovers":
        return leftovers.main()
    if args.command == "serve":
        return serve(directory, args.nodes, args.real_nodes)
    if args.command == "up":
        return up(directory, args.nodes, args.real_nodes)
    if args.command == "down":
        return down(directory)
    pid = running_pid(directory)
    if pid is None:
        print("sandbox not running")
        return 3
    print(f"sandbox running (pid {pid}); KUBECONFIG={directory / 'kubeconfig'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
