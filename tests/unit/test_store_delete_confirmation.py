"""playbooks/store_delete.yml refuses a confirmation that differs from the store name.

AWX's store-delete survey asks for the name twice (store_name_confirmation). The
playbook runs here against a cluster that does not exist: a refusal must come first,
before the play reads or changes anything, and a matching confirmation must let the
play go on to the cluster (where it then fails, which shows it got past the check).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.awx_server.data import REPO
from tests.unit.ansible_cli import ansible_cli

pytestmark = [pytest.mark.slow]


def delete(tmp_path: Any, **extravars: str) -> tuple[int, list[tuple[str, dict[str, Any]]]]:
    env = {
        "ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json",
        "ANSIBLE_LOAD_CALLBACK_PLUGINS": "1",
        # A cluster that does not exist: any read of it fails.
        "STOREFLEET_KUBECONFIG": str(tmp_path / "no-such-kubeconfig"),
    }
    done = ansible_cli(
        "ansible-playbook",
        "-i",
        str(REPO / "inventories" / "sandbox"),
        "playbooks/store_delete.yml",
        "-e",
        json.dumps(extravars),
        env=env,
        timeout=300,
    )
    report = json.loads(done.stdout)
    tasks = [
        (task["task"]["name"], result)
        for play in report["plays"]
        for task in play["tasks"]
        for result in task["hosts"].values()
    ]
    return done.returncode, tasks


def test_mismatch_is_refused_before_anything_else(tmp_path: Any) -> None:
    rc, tasks = delete(tmp_path, store_name="demo", store_name_confirmation="dmeo")
    assert rc != 0
    assert len(tasks) == 1, [name for name, _ in tasks]
    name, result = tasks[0]
    assert name == "Refuse a confirmation that differs from the store name"
    assert result["failed"]
    assert result["msg"] == (
        'Nothing was deleted: the store to delete was given as "demo" and confirmed as "dmeo".'
        " Give the same name twice."
    )


def test_matching_confirmation_goes_on_to_the_cluster(tmp_path: Any) -> None:
    rc, tasks = delete(tmp_path, store_name="demo", store_name_confirmation="demo")
    assert rc != 0
    names = [name for name, _ in tasks]
    assert names[0] == "Refuse a confirmation that differs from the store name"
    assert not tasks[0][1].get("failed")
    assert len(tasks) > 1, "the play stopped at the check"


def test_without_a_confirmation_there_is_no_check(tmp_path: Any) -> None:
    """The command line and the TUI confirm on their own: the check stays out of the way."""
    _, tasks = delete(tmp_path, store_name="demo")
    assert not tasks[0][1].get("failed")
    assert len(tasks) > 1
