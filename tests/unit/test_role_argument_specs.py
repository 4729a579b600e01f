"""Each role's argument spec documents exactly the settings its defaults declare."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROLES = Path(__file__).resolve().parents[2] / "roles"


def spec_options(role: Path) -> dict[str, dict]:
    entry_points = yaml.safe_load((role / "meta" / "argument_specs.yml").read_text())
    options: dict[str, dict] = {}
    for entry_point in entry_points["argument_specs"].values():
        options.update(entry_point.get("options") or {})
    return options


def default_names(role: Path) -> set[str]:
    defaults = role / "defaults" / "main.yml"
    return set(yaml.safe_load(defaults.read_text()) or {}) if defaults.exists() else set()


@pytest.mark.parametrize("role", sorted(ROLES.iterdir()), ids=lambda role: role.name)
def test_spec_and_defaults_name_the_same_settings(role: Path) -> None:
    options = spec_options(role)
    defaults = default_names(role)
    # A setting with a default but no spec is undocumented; one in the spec that is neither
    # defaulted nor required is a setting the role no longer has.
    undocumented = sorted(name for name in defaults - set(options) if not name.startswith("_"))
    stale = sorted(
        name
        for name, attributes in options.items()
        if name not in defaults and not attributes.get("required")
    )
    assert (undocumented, stale) == ([], [])
