"""Check each request against the API schema the real AWX 24.6.1 generated (swagger.json).

Path and method must be ones the schema lists; a request body may carry only the
fields of the operation's body definition. Fields the definition marks read-only are
ignored by AWX (Django REST framework drops them); they are reported apart, so a test
can tell the project's own code from what awx.awx sends. Query filters are checked
against the fields AWX's OPTIONS response calls filterable (state.py).

The schema leaves three bodies undescribed, so they are checked by what AWX's views
do: survey_spec (`Empty` in the schema: surveys.py applies AWX's rules), the
attach/detach body of sub-lists (`{"id": n}` with an optional `"disassociate"`), and
a job template launch (its `JobLaunch` definition).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

ATTACH_DETACH = frozenset({"id", "disassociate"})


@dataclass(frozen=True)
class Operation:
    path: str
    method: str
    properties: dict[str, Any] = field(default_factory=dict)
    has_body: bool = False

    @property
    def is_sublist(self) -> bool:
        """A list under one object (`/job_templates/{id}/credentials/`)."""
        return bool(re.search(r"\{id\}/[a-z_]+/$", self.path))


class Contract:
    def __init__(self, swagger: dict[str, Any]) -> None:
        self.definitions: dict[str, Any] = swagger["definitions"]
        self.routes: list[tuple[re.Pattern[str], str, dict[str, Any]]] = []
        for path, methods in swagger["paths"].items():
            pattern = re.escape(path).replace(re.escape("{version}"), "v2")
            pattern = re.sub(r"\\\{[a-z_]+\\\}", r"[^/]+", pattern)
            self.routes.append((re.compile(f"^{pattern}$"), path, methods))

    def operation(self, method: str, path: str) -> tuple[Operation | None, str]:
        """The schema's operation for a request, or why there is none."""
        for pattern, template, methods in self.routes:
            if not pattern.match(path):
                continue
            spec = methods.get(method.lower())
            if spec is None:
                listed = ", ".join(m.upper() for m in methods if m != "parameters")
                return None, f"{method} {path}: the schema allows only {listed} on {template}"
            properties: dict[str, Any] = {}
            has_body = False
            for parameter in spec.get("parameters", []):
                if parameter.get("in") == "body":
                    has_body = True
                    ref = parameter.get("schema", {}).get("$ref", "")
                    definition = self.definitions.get(ref.rsplit("/", 1)[-1], {})
                    properties = definition.get("properties", {})
            return Operation(template, method.upper(), properties, has_body), ""
        return None, f"{method} {path}: no such path in the schema"

    def body_problems(self, operation: Operation, body: Any) -> tuple[list[str], list[str]]:
        """(fields the schema does not know, read-only fields AWX ignores)."""
        where = f"{operation.method} {operation.path}"
        if body in (None, {}):
            return [], []
        if not isinstance(body, dict):
            return [f"{where}: the body is not a JSON object"], []
        if operation.path.endswith("/survey_spec/"):
            return [], []
        if operation.is_sublist and set(body) <= ATTACH_DETACH and "id" in body:
            return [], []
        if not operation.has_body:
            return [f"{where}: takes no body, got {sorted(body)}"], []
        unknown = [f"{where}: no field {key!r}" for key in body if key not in operation.properties]
        ignored = [
            f"{where}: {key!r} is read-only"
            for key in body
            if key in operation.properties and operation.properties[key].get("readOnly")
        ]
        return unknown, ignored
