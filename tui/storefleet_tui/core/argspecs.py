"""The create form's fields, read from the store role's `meta/argument_specs.yml`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROLE_SPEC = Path("roles/store/meta/argument_specs.yml")
# Options the create action sets itself. Of the rest, the form asks what a person
# decides when creating a store: required options, and choices or switches the role
# gives a default; options without a default come from the inventory (TLS, registry).
NOT_ON_FORM = frozenset({"store_state"})
_MARKUP = re.compile(r"\b[A-Z]\(([^)]*)\)")


class ArgumentSpecError(RuntimeError):
    """The store role's argument specs cannot be read: there is no form to build."""


@dataclass(frozen=True)
class FormField:
    name: str
    type: str
    description: str
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.name.removeprefix("store_").replace("_", " ").capitalize()


def _description(raw: Any) -> str:
    """Plain text from an argument spec description (`C(x)`, `O(x=y)` markup removed)."""
    text = " ".join(str(line) for line in raw) if isinstance(raw, list) else str(raw or "")
    return _MARKUP.sub(r"\1", text)


def on_form(name: str, spec: Mapping[str, Any]) -> bool:
    if name in NOT_ON_FORM:
        return False
    if spec.get("required"):
        return True
    return "default" in spec and bool(spec.get("choices") or spec.get("type") == "bool")


def fields_from_options(options: Mapping[str, Mapping[str, Any]]) -> list[FormField]:
    found = []
    for name, spec in options.items():
        if not on_form(name, spec):
            continue
        found.append(
            FormField(
                name=name,
                type=str(spec.get("type", "str")),
                description=_description(spec.get("description") or spec.get("short_description")),
                required=bool(spec.get("required", False)),
                default=spec.get("default"),
                choices=tuple(str(c) for c in spec.get("choices") or ()),
            )
        )
    # The name first: it is what a person types before anything else.
    return sorted(found, key=lambda f: (f.name != "store_name", not f.required))


def create_form_fields(repo: Path, entry_point: str = "main") -> list[FormField]:
    """The create form's fields, from the store role in the checkout at `repo`."""
    path = repo / ROLE_SPEC
    if not path.is_file():
        raise ArgumentSpecError(
            f"cannot read the store role's argument specs: {path} does not exist"
        )
    try:
        document = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        raise ArgumentSpecError(f"cannot read the store role's argument specs: {error}") from error
    specs = document.get("argument_specs") if isinstance(document, dict) else None
    entry = specs.get(entry_point) if isinstance(specs, dict) else None
    options = entry.get("options") if isinstance(entry, dict) else None
    if not isinstance(options, dict) or "store_name" not in options:
        raise ArgumentSpecError(
            f"{path}: entry point {entry_point!r} declares no store_name option"
        )
    return fields_from_options(options)
