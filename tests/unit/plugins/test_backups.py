"""A store's list of backups (plugins/module_utils/backups.py) and its filters."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from ansible.errors import AnsibleError
from ansible_collections.storefleet.platform.plugins.module_utils import backups

from tests.unit.plugins.templating import render

REPO = Path(__file__).resolve().parents[3]


def record(name: str, revision: int = 1, size: int | None = 2**20) -> dict[str, Any]:
    return {
        "name": name,
        "created": "2026-01-31T09:30:00Z",
        "reason": name.split("-", 2)[2],
        "revision": revision,
        "backendImage": "registry.example.com/medusa-backend:0.1.0",
        "takenWith": "registry.example.com/medusa-backend:0.1.0",
        "bytes": size,
        "sha256": None,
    }


LIST = [
    record("20260102-090000-pre-upgrade", 2),
    record("20260101-090000-on-request", 1),
    record("20260103-090000-pre-restore", 3, None),
]


def test_the_backup_name_rule_is_one_in_chart_command_and_role() -> None:
    schema = json.loads((REPO / "charts" / "store" / "values.schema.json").read_text())
    chart = schema["properties"]["dataJob"]["properties"]["backup"]["pattern"]
    # The chart also takes "" (no backup, a schema check).
    assert chart == "^(" + backups.BACKUP_NAME_PATTERN[1:-1] + ")?$"
    command = (REPO / "docker" / "medusa-backend" / "bin" / "backups.js").read_text()
    (literal,) = re.findall(r"^const NAME = /(.*)/$", command, re.MULTILINE)
    assert literal == backups.BACKUP_NAME_PATTERN


def test_adding_sorts_replaces_and_keeps_the_newest() -> None:
    new = record("20260104-090000-on-request", 3)
    kept = backups.add_backup(LIST, new, keep=3)
    assert [r["name"] for r in kept] == [
        "20260102-090000-pre-upgrade",
        "20260103-090000-pre-restore",
        "20260104-090000-on-request",
    ]
    everything = backups.add_backup(LIST, new, keep=3, prune=False)
    assert len(everything) == 4
    again = backups.add_backup(everything, {**new, "bytes": 42}, keep=10)
    assert len(again) == 4 and again[-1]["bytes"] == 42


def test_the_backup_of_a_revision_is_its_last() -> None:
    two_of_one = [*LIST, record("20260101-100000-pre-upgrade", 1)]
    assert backups.backup_of_revision(two_of_one, 1)["name"] == "20260101-100000-pre-upgrade"
    assert backups.backup_of_revision(two_of_one, "3")["name"] == "20260103-090000-pre-restore"
    assert backups.backup_of_revision(two_of_one, 7) is None
    assert backups.backup_of_revision([], 1) is None


def test_lines_say_what_an_operator_needs() -> None:
    lines = backups.backup_lines(LIST)
    assert lines[0].startswith("20260101-090000-on-request     on-request   rev 1 ")
    assert lines[0].endswith("registry.example.com/medusa-backend:0.1.0  1.0 MiB")
    assert lines[2].endswith("size unknown")


@pytest.mark.parametrize(
    "bad",
    [
        "not a list",
        [{"name": "../etc/passwd"}],
        [{"name": "20260101-090000-on-request\n"}],
        ["20260101-090000-on-request"],
    ],
)
def test_anything_but_records_is_refused(bad: Any) -> None:
    with pytest.raises(backups.BackupError):
        backups.backup_lines(bad)


def test_keep_must_keep_one() -> None:
    with pytest.raises(backups.BackupError, match="keep must be at least 1"):
        backups.add_backup(LIST, record("20260104-090000-on-request"), keep=0)


def test_filters_through_ansible_templating() -> None:
    new = record("20260104-090000-on-request", 3)
    added = render("old | storefleet.platform.store_backups_add(new, 2)", old=LIST, new=new)
    assert [r["name"] for r in added] == ["20260103-090000-pre-restore", new["name"]]
    found = render("old | storefleet.platform.store_backup_of_revision(2)", old=LIST)
    assert found["name"] == "20260102-090000-pre-upgrade"
    assert render("old | storefleet.platform.store_backup_of_revision(9)", old=LIST) is None
    assert len(render("old | storefleet.platform.store_backup_lines", old=LIST)) == 3
    with pytest.raises(AnsibleError, match="not a backup record"):
        render("[{'name': 'x'}] | storefleet.platform.store_backup_lines")
