"""Stop every process of one ansible-playbook run.

ansible-runner cancels by killing the playbook's process group, but Ansible's workers
leave that group (each calls setsid so a ^C in a terminal does not reach them): a
cancelled run would finish its current task unseen, a `helm upgrade --wait` included.
Every process of a run names the run's extra-vars file on its command line (workers are
forks of ansible-playbook); the tasks' own commands are their children.
"""

from __future__ import annotations

from pathlib import Path

import psutil


def processes_naming(path: Path) -> list[psutil.Process]:
    """The processes whose command line names `path`, and all their descendants."""
    found: dict[int, psutil.Process] = {}
    for process in psutil.process_iter(["cmdline"]):
        if str(path) in " ".join(process.info["cmdline"] or []):
            try:
                family = [process, *process.children(recursive=True)]
            except psutil.Error:
                continue
            found.update((member.pid, member) for member in family)
    return list(found.values())


def kill_processes_naming(path: Path) -> int:
    """SIGKILL every process `processes_naming` finds; how many were signalled."""
    killed = 0
    for process in processes_naming(path):
        try:
            process.kill()
        except psutil.Error:
            continue
        killed += 1
    return killed
