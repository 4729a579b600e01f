"""The create form comes from the store role's argument specs; names from naming.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from storefleet_tui.core import argspecs, naming
from tests.unit.tui.recorded import REPO


def test_form_fields_come_from_the_store_role() -> None:
    fields, from_role = argspecs.create_form_fields(REPO)
    assert from_role
    by_name = {f.name: f for f in fields}
    assert fields[0].name == "store_name" and fields[0].required
    assert by_name["store_plan"].choices == ("small", "medium", "large")
    assert by_name["store_seed_demo_data"].type == "bool"
    assert "store_state" not in by_name  # the create action sets it
    assert "C(" not in by_name["store_name"].description


def test_form_falls_back_without_argument_specs(tmp_path: Path) -> None:
    fields, from_role = argspecs.create_form_fields(tmp_path)
    assert not from_role
    assert [f.name for f in fields] == ["store_name", "store_plan", "store_seed_demo_data"]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("demo", ""),
        ("Demo", "uppercase"),
        ("my_store", "underscore"),
        ("-demo", "start"),
        ("1shop", "start with a letter"),
        ("kube-shop", "reserved"),
        ("a" * 36, "36 characters long"),
        ("", "must not be empty"),
    ],
)
def test_names_are_checked_with_the_collection_rules(name: str, problem: str) -> None:
    check, from_collection = naming.load_validator(REPO)
    assert from_collection
    error = check(name)
    assert (problem in error) if problem else error == ""


def test_fallback_rules_without_the_collection_file(tmp_path: Path) -> None:
    check, from_collection = naming.load_validator(tmp_path)
    assert not from_collection
    assert check("demo") == "" and check("Demo") != ""
