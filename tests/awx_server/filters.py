"""AWX's list filters (`name=`, `or__id=`, `counter__gt=`, `organization__name=` ...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.awx_server.schema import FOREIGN_KEYS

Lookup = Callable[[str, int], dict[str, Any]]

RESERVED = {"page", "page_size", "order_by", "search", "format"}
LOOKUPS = (
    "exact",
    "iexact",
    "contains",
    "icontains",
    "startswith",
    "in",
    "gt",
    "gte",
    "lt",
    "lte",
    "isnull",
)


def split_filter(key: str) -> tuple[bool, str, str, str]:
    """('or__name__icontains') -> (is_or, field, related field, lookup)."""
    is_or = key.startswith("or__")
    key = key.removeprefix("or__").removeprefix("chain__").removeprefix("not__")
    parts = key.split("__")
    lookup = parts.pop() if len(parts) > 1 and parts[-1] in LOOKUPS else "exact"
    return is_or, parts[0], "__".join(parts[1:]), lookup


def filter_problems(query: dict[str, str], filterable: set[str]) -> list[str]:
    problems = []
    for key in query:
        if key in RESERVED:
            continue
        _, name, _, _ = split_filter(key)
        if name not in filterable:
            problems.append(f"filter {key!r}: {name!r} is not a filterable field")
    return problems


def _matches(
    find: Lookup, obj: dict[str, Any], name: str, related: str, lookup: str, wanted: str
) -> bool:
    value = obj.get(name)
    if related and name in FOREIGN_KEYS and value:
        value = find(FOREIGN_KEYS[name], value).get(related)
    if lookup == "isnull":
        return (value is None) == (wanted.lower() in ("true", "1"))
    if lookup == "in":
        return str(value) in wanted.split(",")
    text = "" if value is None else (str(value).lower() if isinstance(value, bool) else str(value))
    if lookup in ("gt", "gte", "lt", "lte"):
        number, limit = float(value or 0), float(wanted)
        return {
            "gt": number > limit,
            "gte": number >= limit,
            "lt": number < limit,
            "lte": number <= limit,
        }[lookup]
    if lookup == "icontains":
        return wanted.lower() in text.lower()
    if lookup == "contains":
        return wanted in text
    if lookup == "startswith":
        return text.startswith(wanted)
    if lookup == "iexact":
        return text.lower() == wanted.lower()
    return text == wanted


def filter_items(
    find: Lookup, items: list[dict[str, Any]], query: dict[str, str], filterable: set[str]
) -> list[dict[str, Any]]:
    chosen = []
    for obj in items:
        ands, ors = [], []
        for key, wanted in query.items():
            if key in RESERVED:
                continue
            is_or, name, related, lookup = split_filter(key)
            (ors if is_or else ands).append(_matches(find, obj, name, related, lookup, wanted))
        if all(ands) and (not ors or any(ors)):
            chosen.append(obj)
    return chosen
