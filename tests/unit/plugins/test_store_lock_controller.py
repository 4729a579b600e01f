"""The lock module finds the play's ansible-playbook process, and tells a holder whose
process ended (a cancelled run) from one that runs, on this host only."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from ansible_collections.storefleet.platform.plugins.modules import store_lock

from tests.unit.conftest import COLLECTIONS_ROOT

# What the module runs, in a process of its own that loads the collection as Ansible does.
FIND_CONTROLLER = (
    "from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder; "
    f"_AnsibleCollectionFinder(paths=[{str(COLLECTIONS_ROOT)!r}])._install(); "
    "from ansible_collections.storefleet.platform.plugins.modules import store_lock; "
    "print(store_lock.controller_pid())"
)


def test_controller_is_the_outermost_ansible_playbook_ancestor(tmp_path: Path) -> None:
    # A stand-in `ansible-playbook` that forks a worker, which runs the module's code.
    launcher = tmp_path / "ansible-playbook"
    launcher.write_text(
        "import subprocess, sys\n"
        f"worker = [sys.executable, {str(launcher)!r}, 'worker']\n"
        "if sys.argv[1:] == ['worker']:\n"
        f"    subprocess.run([sys.executable, '-c', {FIND_CONTROLLER!r}], check=True)\n"
        "else:\n"
        "    print(__import__('os').getpid(), flush=True)\n"
        "    subprocess.run(worker, check=True)\n"
    )
    out = subprocess.run(
        [sys.executable, str(launcher)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    ).stdout.split()
    outer, found = int(out[0]), int(out[1])
    assert found == outer


def test_a_holder_is_gone_once_its_process_ended_on_this_host() -> None:
    host = socket.gethostname()
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    assert store_lock.controller_gone(f"ops@{host}/{ended.pid}/1a2b3c")
    # This process is no ansible-playbook: a pid reused by something else is gone too.
    assert store_lock.controller_gone(f"ops@{host}/{os.getpid()}/1a2b3c")
    # Another host's holder, or one naming no process, is never judged from here.
    assert not store_lock.controller_gone(f"ops@elsewhere/{ended.pid}/1a2b3c")
    assert not store_lock.controller_gone(f"ops@{host}/0/1a2b3c")
    assert not store_lock.controller_gone(f"ops@{host}/1a2b3c")
