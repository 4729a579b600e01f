"""charts/store/values.schema.json: each concept declared once, every property described
and closed, image references held to the collection's grammar."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from ansible_collections.storefleet.platform.plugins.module_utils.image_reference import (
    REPOSITORY_PATTERN,
    TAG_PATTERN,
)

from tests.helm import STORE_CHART as CHART
from tests.helm import helm_template
from tests.unit.chart import VALUES

SCHEMA = json.loads((CHART / "values.schema.json").read_text())
CI_VALUES = sorted((CHART / "ci").glob("*-values.yaml"))


def subschemas(node: Any, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema inside `node`, with a JSON-pointer-like path."""
    if not isinstance(node, dict):
        return
    yield path, node
    for keyword in ("properties", "definitions"):
        for name, child in node.get(keyword, {}).items():
            yield from subschemas(child, f"{path}/{keyword}/{name}")
    for keyword in ("items", "additionalProperties"):
        yield from subschemas(node.get(keyword), f"{path}/{keyword}")
    for index, child in enumerate(node.get("anyOf", [])):
        yield from subschemas(child, f"{path}/anyOf/{index}")


def merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """`override` deep-merged onto `base`, as helm merges a values file."""
    result = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


def errors_for(values: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft7Validator(SCHEMA)
    return [error.message for error in validator.iter_errors(values)]


def test_the_plans_share_one_definition() -> None:
    plans = SCHEMA["properties"]["plans"]["properties"]
    assert set(plans) == {"small", "medium", "large"} == set(VALUES["plans"])
    for name, plan in plans.items():
        assert plan == {"description": f"Sizes of the {name} plan.", "$ref": "#/definitions/plan"}
    images = SCHEMA["properties"]["images"]["properties"]
    assert {image["$ref"] for image in images.values()} == {"#/definitions/image"}
    # The file used to repeat the plan block three times (2,254 lines).
    assert len((CHART / "values.schema.json").read_text().splitlines()) < 800


def test_every_property_is_described_and_every_object_closed() -> None:
    for path, schema in subschemas(SCHEMA):
        for name, child in schema.get("properties", {}).items():
            assert child.get("description"), f"{path}/properties/{name} has no description"
        if "properties" in schema:
            assert schema.get("additionalProperties") is False, f"{path} is open"
        if "$ref" in schema:
            # draft-07 ignores every sibling of $ref but annotations.
            assert set(schema) <= {"$ref", "description"}, f"{path}: {sorted(schema)}"


def test_every_reference_resolves_and_every_definition_is_used() -> None:
    text = json.dumps(SCHEMA)
    used = set(re.findall(r'"\$ref": "#/definitions/([A-Za-z]+)"', text))
    assert used == set(SCHEMA["definitions"])


@pytest.mark.parametrize("values", CI_VALUES, ids=lambda path: path.stem)
def test_the_defaults_and_every_scenario_are_valid(values: Path) -> None:
    assert errors_for(VALUES) == []
    assert errors_for(merged(VALUES, yaml.safe_load(values.read_text()))) == []


def test_image_patterns_are_the_collections() -> None:
    image = SCHEMA["definitions"]["image"]["properties"]
    assert image["repository"]["pattern"] == REPOSITORY_PATTERN
    assert image["tag"]["pattern"] == TAG_PATTERN


@pytest.mark.parametrize(
    "repository",
    [
        "registry.storefleet.local/medusa-backend",
        "storefleet-registry:5000/storefleet/medusa-backend",
        "localhost:5000/a/b",
        "127.0.0.1:5000/storefleet/medusa-storefront",
        "docker.io/library/postgres",
        "registry.k8s.io/kubectl",
        "postgres",
        "my_org/a__b/c.d-e---f",
    ],
)
def test_repositories_of_the_grammar_are_accepted(repository: str) -> None:
    assert re.fullmatch(REPOSITORY_PATTERN, repository)
    assert errors_for(merged(VALUES, {"images": {"backend": {"repository": repository}}})) == []


@pytest.mark.parametrize(
    "repository",
    [
        "",
        "registry.example.com/Upper",
        "registry.example.com/x:1.0",
        "registry.example.com/x@sha256:" + "0" * 64,
        "registry.example.com/",
        "/x",
        "x//y",
        "-x",
        "x-",
        "x y",
        "registry.example.com/x\nstdin: true",
        "x;id",
        "{{ lookup('pipe', 'id') }}",
    ],
)
def test_repositories_outside_the_grammar_are_refused(repository: str) -> None:
    assert not re.fullmatch(REPOSITORY_PATTERN, repository)


@pytest.mark.parametrize(
    ("tag", "valid"),
    [
        ("0.1.0", True),
        ("v1.36.3", True),
        ("15.15-bookworm", True),
        ("_x", True),
        ("a" * 128, True),
        ("", False),
        (".x", False),
        ("-x", False),
        ("a" * 129, False),
        ("1.0 store_plan={{x}}", False),
        ("1.0\n", False),
        ("x/y", False),
        ("x:y", False),
    ],
)
def test_tags_follow_the_grammar(tag: str, valid: bool) -> None:
    assert bool(re.fullmatch(TAG_PATTERN, tag)) is valid


def test_a_newline_in_a_repository_is_refused_before_anything_renders(tmp_path: Path) -> None:
    # The value that once injected `stdin: true` into the backend's pod spec.
    injected = "registry.example.com/medusa-backend\n          stdin: true\n          x"
    values = tmp_path / "values.yaml"
    values.write_text(yaml.safe_dump({"images": {"backend": {"repository": injected}}}))
    result = helm_template("-f", str(values))
    assert result.returncode != 0
    assert "repository" in result.stderr
    assert "does not match pattern" in result.stderr
    assert not result.stdout.strip()

    # Past the schema, the quote keeps the value one string: no key is injected.
    unchecked = helm_template("-f", str(values), "--skip-schema-validation")
    assert unchecked.returncode == 0, unchecked.stderr
    for doc in yaml.safe_load_all(unchecked.stdout):
        if doc and doc["kind"] in ("Deployment", "Job"):
            for container in doc["spec"]["template"]["spec"]["containers"]:
                assert "stdin" not in container


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        ({"images": {"redis": {"tag": "7.4 --protected-mode no"}}}, "tag"),
        ({"tolerations": [{"key": "x", "operator": "Sometimes"}]}, "operator"),
        ({"tolerations": [{"key": "x", "tolerate": "yes"}]}, "tolerate"),
        ({"dataJob": {"action": "drop-database"}}, "action"),
        ({"dataJob": {"action": "backup", "backup": "../../etc/passwd"}}, "backup"),
        ({"backups": {"keep": 0}}, "keep"),
        ({"uploads": {"accessMode": "ReadOnlyMany"}}, "accessMode"),
        ({"plans": {"small": {"uploads": {"storage": "lots"}}}}, "storage"),
    ],
)
def test_bad_values_are_refused_by_helm(
    tmp_path: Path, override: dict[str, Any], complaint: str
) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(yaml.safe_dump(override))
    result = helm_template("-f", str(values))
    assert result.returncode != 0
    assert complaint in result.stderr
    assert not result.stdout.strip()
