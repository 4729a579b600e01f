"""The TUI's run requests as answers to an AWX survey.

A form's values become the answers of the job template's survey questions of the same
variable, in the type each question takes (a switch's true/false as the choice "true"
or "false", a revision as an integer, a fleet's waves as the text "1,50%,100%"). Values
no question asks for are left out: AWX refuses variables its survey does not ask, and in
AWX the inventory decides them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _answer(question: Mapping[str, Any], value: Any) -> Any:
    kind = question.get("type")
    if kind == "integer":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "multiselect":
        return [str(item) for item in value] if isinstance(value, (list, tuple)) else [str(value)]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    return str(value)


def answers(spec: Mapping[str, Any], values: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """(answers for the survey, names of the values it does not ask for)."""
    asked = {q["variable"]: q for q in spec.get("spec", []) if isinstance(q, Mapping)}
    given = {}
    for name, value in values.items():
        if name in asked and value is not None:
            given[name] = _answer(asked[name], value)
    return given, sorted(set(values) - set(asked))
