"""Image references: the distribution grammar, written once and copied into the Store
CRD and the store chart's values schema."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from ansible_collections.storefleet.platform.plugins.module_utils import image_reference as ref

REPO_ROOT = Path(__file__).resolve().parents[3]
CRD = REPO_ROOT / "roles/platform/files/store-crd.yml"
CHART_SCHEMA = REPO_ROOT / "charts/store/values.schema.json"

IMAGES = [
    "busybox:1.36",
    "storefleet-registry:5000/storefleet/medusa-backend:0.1.0",
    "registry.storefleet.local:5000/storefleet/medusa-backend:latest",
    "ghcr.io/acme/shop_front/web-app:v1.2.3-rc.1",
    "[::1]:5000/a/b:c",
    "localhost/a__b/c--d:_x",
]
NOT_IMAGES = [
    "",
    "busybox",  # no tag: the chart pins by tag
    "a/b:c\n",  # a newline once injected `stdin: true` into a pod spec
    "a/b:c\nstdin: true",
    "a/b:c stdin",
    "host:5000/a:b:c",
    "a//b:c",
    "a/B:c",
    "a/b:" + "x" * 129,
    "a/b:-tag",
    "a/b:c@sha256:" + "0" * 64,
    "a/b:{{ lookup('pipe','id') }}",
]


@pytest.mark.parametrize("image", IMAGES)
def test_images_follow_the_grammar(image: str) -> None:
    assert ref.image_error(image) == ""
    repository, tag = ref.split_image(image)
    assert re.fullmatch(ref.REPOSITORY_PATTERN, repository)
    assert re.fullmatch(ref.TAG_PATTERN, tag)
    assert f"{repository}:{tag}" == image


@pytest.mark.parametrize("image", NOT_IMAGES, ids=[repr(i)[:30] for i in NOT_IMAGES])
def test_other_strings_are_not_images(image: str) -> None:
    assert "is not an image reference" in ref.image_error(image)


@pytest.mark.parametrize(
    ("tag", "valid"),
    [("0.1.0", True), ("latest", True), ("_x", True), ("a" * 128, True), ("a" * 129, False),
     ("", False), (".x", False), ("1.0 store_plan=x", False), ("1.0\n", False), (1, False)],
)  # fmt: skip
def test_tags(tag: object, valid: bool) -> None:
    assert (ref.tag_error(tag) == "") is valid


@pytest.mark.parametrize(
    ("registry", "valid"),
    [("registry.example.com", True), ("storefleet-registry:5000", True), ("ghcr.io/acme", True),
     ("localhost:5000", True), ("", False), ("http://registry", False), ("reg istry", False),
     ("registry:port", False), ("registry/", False)],
)  # fmt: skip
def test_registries(registry: str, valid: bool) -> None:
    assert (ref.registry_error(registry) == "") is valid


def test_split_image_keeps_a_registry_port() -> None:
    assert ref.split_image("registry:5000/a/b:1") == ("registry:5000/a/b", "1")
    assert ref.split_image("registry:5000/a/b") == ("registry:5000/a/b", "")


def _crd_spec_properties() -> dict[str, Any]:
    crd = yaml.safe_load(CRD.read_text())
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    return schema["properties"]["spec"]["properties"]


def test_store_crd_copies_the_image_pattern() -> None:
    properties = _crd_spec_properties()
    for field in ("backendImage", "storefrontImage"):
        assert properties[field]["pattern"] == ref.IMAGE_PATTERN


def _image_patterns(schema: dict[str, Any]) -> dict[str, str]:
    """{images.<image>.<field>: pattern} of the chart's values schema, $refs resolved."""

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            path = node["$ref"].removeprefix("#/").split("/")
            node = schema
            for part in path:
                node = node[part]
        return node

    found = {}
    images = resolve(schema["properties"]["images"])
    for image, node in images.get("properties", {}).items():
        for field, prop in resolve(node).get("properties", {}).items():
            if "pattern" in resolve(prop):
                found[f"images.{image}.{field}"] = resolve(prop)["pattern"]
    return found


def test_chart_schema_copies_the_patterns() -> None:
    patterns = _image_patterns(json.loads(CHART_SCHEMA.read_text()))
    if not patterns:
        pytest.skip("the chart's values schema declares no image pattern yet")
    for where, pattern in patterns.items():
        expected = ref.TAG_PATTERN if where.endswith(".tag") else ref.REPOSITORY_PATTERN
        assert pattern == expected, where
