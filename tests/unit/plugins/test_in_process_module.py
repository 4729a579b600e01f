"""The collection's modules, and kubernetes.core's under its names, run inside the
task's worker on this host with the same arguments, checks and results as in a module
process of their own, which stays the path for any other interpreter."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.unit.ansible_cli import ansible_cli

MODULES = ("store_status", "store_credentials", "k8s_info")

PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Report a status with a store name Kubernetes refuses
      storefleet.platform.store_status:
        name: Bad_Name
        phase: Ready
      register: refused
      ignore_errors: true
    - name: Leave out a required option
      storefleet.platform.store_credentials:
        name: demo
      register: incomplete
      ignore_errors: true
    - name: Read without a kind, through kubernetes.core's module under this collection's name
      storefleet.platform.k8s_info:
        api_version: v1
      register: kindless
      ignore_errors: true
    - name: Write what the modules said
      ansible.builtin.copy:
        content: >-
          {{ {'refused': refused, 'incomplete': incomplete, 'kindless': kindless} | to_json }}
        dest: "{{ results_file }}"
        mode: "0600"
"""


def module_processes(log: str) -> list[str]:
    """Which of MODULES ran as a process of their own, per the -vvv log."""
    started = (line.rpartition("/")[2] for line in log.splitlines() if "Using module file" in line)
    return [name.removesuffix(".py") for name in started if name.removesuffix(".py") in MODULES]


def run(tmp_path: Path, interpreter: str, label: str) -> tuple[dict, str]:
    playbook = tmp_path / "play.yml"
    playbook.write_text(PLAYBOOK)
    results = tmp_path / f"{label}.json"
    extravars = {"ansible_python_interpreter": interpreter, "results_file": str(results)}
    out = ansible_cli(
        "ansible-playbook", "-vvv", "-i", "localhost,", "-c", "local", str(playbook),
        "-e", json.dumps(extravars), check=True,
    ).stdout  # fmt: skip
    return json.loads(results.read_text()), out


def test_modules_run_in_the_worker_with_the_results_of_a_module_process(tmp_path: Path) -> None:
    here, here_log = run(tmp_path, sys.executable, "here")
    # The same Python named by another path: Ansible's usual module process.
    other = tmp_path / "python"
    other.symlink_to(sys.executable)
    apart, apart_log = run(tmp_path, str(other), "apart")

    assert module_processes(here_log) == []
    assert module_processes(apart_log) == list(MODULES)
    for key in ("refused", "incomplete", "kindless"):
        assert here[key]["failed"] and apart[key]["failed"]
        assert here[key]["msg"] == apart[key]["msg"]
    assert "uppercase letters" in here["refused"]["msg"]
    assert here["incomplete"]["msg"] == "missing required arguments: admin_email, namespace"
    assert here["kindless"]["msg"] == "missing required arguments: kind"
