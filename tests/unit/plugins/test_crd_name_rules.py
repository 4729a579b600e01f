"""The Store CRD's name rules say what plugins/module_utils/naming.py says."""

from __future__ import annotations

from pathlib import Path

import yaml
from ansible_collections.storefleet.platform.plugins.module_utils import naming

CRD = Path(__file__).resolve().parents[3] / "roles" / "platform" / "files" / "store-crd.yml"


def rules() -> str:
    schema = yaml.safe_load(CRD.read_text())["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    return " ".join(rule["rule"] for rule in schema["x-kubernetes-validations"])


def test_crd_uses_the_same_pattern_length_and_reserved_names() -> None:
    text = rules()
    assert naming.NAME_PATTERN in text
    assert f"size(self.metadata.name) <= {naming.NAME_MAX_LENGTH}" in text
    for reserved in naming.RESERVED_NAMES:
        assert f"'{reserved}'" in text
    for prefix in naming.RESERVED_PREFIXES:
        assert f"startsWith('{prefix}')" in text
