"""The AWX configuration as written: the role's surveys and each inventory's controller_* data."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
INVENTORIES = ("local", "prod")
_SURVEY_REFERENCE = re.compile(r"^\{\{ awx_store_surveys\.([a-z_]+) \}\}$")


class _Loader(yaml.SafeLoader):
    """YAML as Ansible reads it, as far as this data goes: `!unsafe` strings are strings."""


_Loader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))  # type: ignore[arg-type]


def role_surveys() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load((REPO / "roles" / "awx" / "vars" / "main.yml").read_text())
    surveys: dict[str, dict[str, Any]] = data["awx_store_surveys"]
    return surveys


def inventory_data(inventory: str) -> dict[str, Any]:
    path = REPO / "inventories" / inventory / "group_vars" / "storefleet_awx" / "awx.yml"
    data: dict[str, Any] = yaml.load(path.read_text(), Loader=_Loader)  # noqa: S506 - a SafeLoader
    return data


def survey_of(item: dict[str, Any]) -> str:
    """Which of the role's surveys a template or workflow uses."""
    match = _SURVEY_REFERENCE.match(str(item.get("survey_spec", "")))
    assert match, f"{item['name']}: survey_spec should be one of the role's awx_store_surveys"
    return match.group(1)
