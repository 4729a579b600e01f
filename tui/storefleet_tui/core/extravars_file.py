"""Extra variables as data Ansible never templates.

Whatever a user types into a form reaches ansible-playbook as an extra variable, and
Ansible renders `{{ ... }}` in extra variables it trusts. Written to a YAML file with
every string tagged `!unsafe`, the values stay text: a `{{ lookup('pipe', 'id') }}` typed
as a store name is refused by the name's rule, never run."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

UNSAFE_TAG = "!unsafe"


class _UntemplatedDumper(yaml.SafeDumper):
    """A YAML dumper that tags every string value `!unsafe` (keys stay plain)."""


def _unsafe_string(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar(UNSAFE_TAG, value, style="'")


def _mapping(dumper: yaml.SafeDumper, value: Mapping[Any, Any]) -> yaml.MappingNode:
    # Keys are variable names (checked by Ansible), not templated values.
    pairs = [
        (yaml.ScalarNode("tag:yaml.org,2002:str", str(key)), dumper.represent_data(item))
        for key, item in value.items()
    ]
    return yaml.MappingNode("tag:yaml.org,2002:map", pairs)


_UntemplatedDumper.add_representer(str, _unsafe_string)
_UntemplatedDumper.add_representer(dict, _mapping)


def write(path: Path, extravars: Mapping[str, Any]) -> Path:
    """Write `extravars` to `path` with every string value marked unsafe; return `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.dump(dict(extravars), Dumper=_UntemplatedDumper, sort_keys=True))
    path.chmod(0o600)
    return path
