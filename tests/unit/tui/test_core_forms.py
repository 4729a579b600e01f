"""The create form comes from the store role's argument specs; names from naming.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from storefleet_tui.core import argspecs, naming
from tests.unit.tui.recorded import REPO


def test_form_fields_come_from_the_store_role() -> None:
    fields = argspecs.create_form_fields(REPO)
    by_name = {f.name: f for f in fields}
    assert fields[0].name == "store_name" and fields[0].required
    assert by_name["store_plan"].choices == ("small", "medium", "large")
    assert by_name["store_seed_demo_data"].type == "bool"
    assert "store_state" not in by_name  # the create action sets it
    assert "C(" not in by_name["store_name"].description


def test_no_form_without_the_store_role_argument_specs(tmp_path: Path) -> None:
    with pytest.raises(argspecs.ArgumentSpecError, match=r"argument_specs\.yml"):
        argspecs.create_form_fields(tmp_path)
    spec = tmp_path / argspecs.ROLE_SPEC
    spec.parent.mkdir(parents=True)
    spec.write_text("argument_specs:\n  main:\n    options: {}\n")
    with pytest.raises(argspecs.ArgumentSpecError, match="declares no store_name option"):
        argspecs.create_form_fields(tmp_path)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("demo", ""),
        ("Demo", "uppercase"),
        ("my_store", "underscore"),
        ("-demo", "start"),
        ("1shop", "start with a letter"),
        ("kube-shop", "reserved"),
        ("a" * 35, ""),
        ("a" * 36, "36 characters long"),
        ("", "must not be empty"),
    ],
)
def test_names_are_checked_with_the_collection_rules(name: str, problem: str) -> None:
    error = naming.load_validator(REPO)(name)
    assert (problem in error) if problem else error == ""


def test_no_name_check_without_the_collection_rules(tmp_path: Path) -> None:
    with pytest.raises(naming.NamingRulesError, match=r"plugins/module_utils/naming\.py"):
        naming.load_validator(tmp_path)
    rules = tmp_path / naming.NAMING_FILE
    rules.parent.mkdir(parents=True)
    rules.write_text("def other_rule(name):\n    return ''\n")
    with pytest.raises(naming.NamingRulesError, match="no store_name_error"):
        naming.load_validator(tmp_path)
