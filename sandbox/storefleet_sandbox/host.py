"""What the real nodes change on this machine, and how to find it again to undo it.

Everything a real node creates is named so that it can be found after a crash: the
runtime state lives under RUN_DIR, cgroups under a `storefleet-sandbox-*` root in each
cgroup v1 hierarchy, bridges are called `sbxbr<N>`. `make sandbox-down` and the next
start both clear what a crashed sandbox left.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

from .client import RUN_DIR

CGROUP_ROOT_PREFIX = "storefleet-sandbox-"
BRIDGE_PREFIX = "sbxbr"
CGROUP_V1 = Path("/sys/fs/cgroup")


class HostError(RuntimeError):
    """This machine cannot run a real node; the message says what is missing."""


def require_real_node_host() -> None:
    """Real nodes need root, cgroups and the container runtime from Debian."""
    if os.geteuid() != 0:
        raise HostError(
            "real nodes need root (containerd, kubelet, iptables): "
            "run as root or pass --real-nodes 0"
        )
    missing = [
        path
        for path in (
            "/usr/bin/containerd",
            "/usr/sbin/runc",
            "/usr/lib/cni/bridge",
            "/usr/sbin/ipset",
        )
        if not Path(path).exists()
    ]
    if missing:
        raise HostError(
            f"missing {', '.join(missing)}: run `make tools` (it installs the Debian packages)"
        )


def host_address() -> str:
    """The address of the interface that holds the default route: what pods reach the host by."""
    output = subprocess.run(
        ["ip", "-4", "-o", "route", "get", "192.0.2.255"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    if "src" not in output:
        raise HostError("no IPv4 default route: the real node needs an address the pods can reach")
    return output[output.index("src") + 1]


class HostLock:
    """One sandbox with real nodes per machine: they share iptables, ports and bridges."""

    def __init__(self) -> None:
        self._file: int | None = None

    def acquire(self, owner: str) -> None:
        RUN_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(RUN_DIR / "lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = Path(RUN_DIR / "lock").read_text().strip() or "another sandbox"
            os.close(fd)
            raise HostError(
                f"a sandbox with real nodes already runs on this machine ({holder}); "
                "stop it first (make sandbox-down) or pass --real-nodes 0"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, owner.encode())
        self._file = fd

    def release(self) -> None:
        if self._file is not None:
            (RUN_DIR / "lock").unlink(missing_ok=True)
            os.close(self._file)
            self._file = None
            with suppress(OSError):
                RUN_DIR.rmdir()


# -- cgroups ---------------------------------------------------------------------------


def cgroup_hierarchies() -> list[Path]:
    """Mounted cgroup v1 hierarchies (this kind of host keeps every controller on v1)."""
    hierarchies = []
    for line in Path("/proc/self/mounts").read_text().splitlines():
        _, target, fstype, *_ = line.split()
        if fstype == "cgroup":
            hierarchies.append(Path(target))
    return hierarchies


def create_cgroup_root(name: str) -> None:
    for hierarchy in cgroup_hierarchies():
        (hierarchy / name).mkdir(exist_ok=True)


def kill_cgroup_processes(prefix: str = CGROUP_ROOT_PREFIX) -> None:
    """SIGKILL every process in the cgroups under roots named `prefix*` (containers a
    crashed runtime left running)."""
    for hierarchy in cgroup_hierarchies():
        for tasks in hierarchy.glob(f"{prefix}*/**/tasks"):
            with suppress(OSError):
                for pid in tasks.read_text().split():
                    with suppress(ProcessLookupError, PermissionError):
                        os.kill(int(pid), 9)


def remove_cgroup_roots(prefix: str = CGROUP_ROOT_PREFIX) -> list[str]:
    """Remove every cgroup under roots named `prefix*`, deepest first; return what stays."""
    left = []
    for hierarchy in cgroup_hierarchies():
        for root in hierarchy.glob(f"{prefix}*"):
            for directory in sorted(_dirs(root), key=lambda p: len(p.parts), reverse=True):
                try:
                    directory.rmdir()
                except OSError:
                    left.append(str(directory))
    return left


def _dirs(root: Path) -> Iterator[Path]:
    yield root
    for path, names, _ in os.walk(root):
        for name in names:
            yield Path(path) / name


def leftover_cgroups(prefix: str = CGROUP_ROOT_PREFIX) -> list[str]:
    return [
        str(root) for hierarchy in cgroup_hierarchies() for root in hierarchy.glob(f"{prefix}*")
    ]


# -- mounts ----------------------------------------------------------------------------


def mounts_under(*prefixes: Path) -> list[str]:
    """Mount points below any of `prefixes`, in mount order."""
    roots = [str(p) for p in prefixes]
    found = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        target = line.split()[4].replace("\\040", " ")
        if any(target == root or target.startswith(root + "/") for root in roots):
            found.append(target)
    return found


def unmount_all(*prefixes: Path) -> list[str]:
    """Unmount everything below `prefixes`, newest first; return what could not go."""
    for target in reversed(mounts_under(*prefixes)):
        subprocess.run(["umount", "--lazy", target], capture_output=True, check=False)
    return mounts_under(*prefixes)


# -- links -----------------------------------------------------------------------------


def bridges(prefix: str = BRIDGE_PREFIX) -> list[str]:
    names = []
    with suppress(FileNotFoundError):
        for entry in Path("/sys/class/net").iterdir():
            if entry.name.startswith(prefix):
                names.append(entry.name)
    return sorted(names)


def delete_bridges(prefix: str = BRIDGE_PREFIX) -> None:
    for name in bridges(prefix):
        subprocess.run(["ip", "link", "delete", name], capture_output=True, check=False)
