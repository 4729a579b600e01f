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

# Used only while the store role has no argument specs yet.
FALLBACK_OPTIONS: dict[str, dict[str, Any]] = {
    "store_name": {"type": "str", "required": True, "description": "Name of the store."},
    "store_plan": {
        "type": "str",
        "choices": ["small", "medium", "large"],
        "default": "small",
        "description": "Size of the store's quota and replicas.",
    },
    "store_seed_demo_data": {"type": "bool", "default": True, "description": "Load demo products."},
}


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


def create_form_fields(repo: Path, entry_point: str = "main") -> tuple[list[FormField], bool]:
    """The fields, and whether they came from the role (False: the built-in fallback)."""
    path = repo / ROLE_SPEC
    if not path.is_file():
        return fields_from_options(FALLBACK_OPTIONS), False
    document = yaml.safe_load(path.read_text()) or {}
    options = ((document.get("argument_specs") or {}).get(entry_point) or {}).get("options") or {}
    if not options:
        return fields_from_options(FALLBACK_OPTIONS), False
    return fields_from_options(options), True
