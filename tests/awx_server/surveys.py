"""AWX 24.6.1's survey rules, as the test server applies them.

A port of what the real server does with a survey, so tests see AWX's own answers:
- `spec_error` and `normalize_spec`: `JobTemplateSurveySpec._validate_spec_data` in
  awx/api/views/__init__.py (what a POST to survey_spec/ accepts, and how it rewrites
  `choices` and multiple-choice defaults given as strings);
- `answer_errors`, `defaults`: `SurveyJobTemplateMixin._survey_element_validation` and
  `_update_unified_job_kwargs` in awx/main/models/mixins.py (what a launch accepts, and
  which defaults fill unanswered questions).
"""

from __future__ import annotations

import copy
from typing import Any

TYPES: dict[str, tuple[type, ...]] = {
    "text": (str,),
    "textarea": (str,),
    "password": (str,),
    "multiplechoice": (str,),
    "multiselect": (str,),
    "integer": (int,),
    "float": (float,),
}
ENCRYPTED = "$encrypted$"


def _lines(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if line.strip() != "")


def spec_error(spec: Any) -> str | None:
    """The error AWX answers a survey_spec POST with (HTTP 400), or None."""
    if not isinstance(spec, dict):
        return "Expected a survey spec object."
    error = None
    for field, kind, label in (
        ("name", str, "string"),
        ("description", str, "string"),
        ("spec", list, "list of items"),
    ):
        if field not in spec:
            error = f"Field '{field}' is missing from survey spec."
        elif not isinstance(spec[field], kind):
            error = (
                f"Expected {label} for field '{field}', received {type(spec[field]).__name__} type."
            )
    if isinstance(spec.get("spec"), list) and not spec["spec"]:
        error = "'spec' doesn't contain any items."
    if error:
        return error
    seen: set[str] = set()
    for index, item in enumerate(spec["spec"]):
        if not isinstance(item, dict):
            return f"Survey question {index} is not a json object."
        for field in ("type", "question_name", "variable", "required"):
            if field not in item:
                return f"'{field}' missing from survey question {index}"
            expected: type = bool if field == "required" else str
            if not isinstance(item[field], expected):
                label = "boolean" if field == "required" else "string"
                return f"'{field}' in survey question {index} expected to be {label}."
        if item["variable"] in seen:
            return f"'variable' '{item['variable']}' duplicated in survey question {index}."
        seen.add(item["variable"])
        kind = item["type"]
        if kind not in TYPES:
            return (
                f"'{kind}' in survey question {index} is not one of "
                f"'{', '.join(TYPES)}' allowed question types."
            )
        if (
            "default" in item
            and item["default"] != ""
            and not isinstance(item["default"], TYPES[kind])
        ):
            label = kind if kind in ("integer", "float") else "string"
            return (
                f"Default value {item['default']} in survey question {index} "
                f"expected to be {label}."
            )
        for key in ("min", "max"):
            if key in item and item[key] is not None and not isinstance(item[key], int):
                return f"The {key} limit in survey question {index} expected to be integer."
        if kind in ("multiselect", "multiplechoice"):
            if "choices" not in item:
                return f"Survey question {index} of type {kind} must specify choices."
            choices = item["choices"]
            if isinstance(choices, str):
                choices = _lines(choices)
            if "default" in item:
                default = item["default"]
                defaults = _lines(default).splitlines() if isinstance(default, str) else default
                if kind == "multiplechoice" and len(defaults) > 1:
                    return "Multiple Choice (Single Select) can only have one default value."
                if any(choice not in choices for choice in defaults):
                    return "Default choice must be answered from the choices listed."
        default = item.get("default")
        if isinstance(default, str) and default.startswith(ENCRYPTED) and kind != "password":
            return (
                "$encrypted$ is a reserved keyword for password question defaults, "
                f"survey question {index} is type {kind}."
            )
    return None


def normalize_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec as AWX stores it: string choices and defaults lose their blank lines."""
    stored = copy.deepcopy(spec)
    for item in stored["spec"]:
        if item["type"] in ("multiselect", "multiplechoice"):
            if isinstance(item.get("choices"), str):
                item["choices"] = _lines(item["choices"])
            if isinstance(item.get("default"), str):
                item["default"] = _lines(item["default"])
    return stored


def display_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """What GET survey_spec/ answers: password defaults hidden."""
    shown = copy.deepcopy(spec)
    for item in shown.get("spec", []):
        if item.get("type") == "password" and item.get("default"):
            item["default"] = ENCRYPTED
    return shown


def _choices(item: dict[str, Any]) -> list[str]:
    choices = item.get("choices", [])
    if isinstance(choices, str):
        return [line for line in choices.splitlines() if line.strip() != ""]
    return list(choices)


def _element_errors(item: dict[str, Any], data: dict[str, Any]) -> list[str]:
    name = item["variable"]
    if name not in data:
        return [f"'{name}' value missing"] if item["required"] else []
    value = data[name]
    low, high = item.get("min"), item.get("max")
    kind = item["type"]
    errors = []
    if kind in ("textarea", "text", "password"):
        if not isinstance(value, str):
            return [f"Value {value} for '{name}' expected to be a string."]
        if low not in ("", None) and len(value) < int(low):
            errors.append(
                f"'{name}' value {value} is too small "
                f"(length is {len(value)} must be at least {low})."
            )
        if high not in ("", None) and len(value) > int(high):
            errors.append(f"'{name}' value {value} is too large (must be no more than {high}).")
    elif kind == "integer":
        if type(value) is not int:
            return [f"Value {value} for '{name}' expected to be an integer."]
        if low not in ("", None) and value < int(low):
            errors.append(f"'{name}' value {value} is too small (must be at least {low}).")
        if high not in ("", None) and value > int(high):
            errors.append(f"'{name}' value {value} is too large (must be no more than {high}).")
    elif kind == "float":
        if type(value) not in (float, int):
            return [f"Value {value} for '{name}' expected to be a numeric type."]
        if low not in ("", None) and value < float(low):
            errors.append(f"'{name}' value {value} is too small (must be at least {low}).")
        if high not in ("", None) and value > float(high):
            errors.append(f"'{name}' value {value} is too large (must be no more than {high}).")
    elif kind == "multiselect":
        if not isinstance(value, list):
            return [f"'{name}' value is expected to be a list."]
        choices = _choices(item)
        errors += [
            f"Value {one} for '{name}' expected to be one of {choices}."
            for one in value
            if one not in choices
        ]
    elif kind == "multiplechoice":
        choices = _choices(item)
        if value not in choices:
            errors.append(f"Value {value} for '{name}' expected to be one of {choices}.")
    return errors


def answer_errors(spec: dict[str, Any], answers: dict[str, Any]) -> list[str]:
    """AWX's `variables_needed_to_start` for a launch with these extra_vars."""
    errors: list[str] = []
    for item in spec.get("spec", []):
        errors += _element_errors(item, answers)
    return errors


def defaults(spec: dict[str, Any]) -> dict[str, Any]:
    """Defaults AWX fills in for unanswered questions: those that are valid answers."""
    found = {}
    for item in spec.get("spec", []):
        default = item.get("default")
        if default is not None and not _element_errors(item, {item["variable"]: default}):
            found[item["variable"]] = default
    return found
