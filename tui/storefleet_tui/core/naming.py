"""Store name rules: the collection's own `plugins/module_utils/naming.py`, loaded by path.

The role validates with that file, so the form does too; the fallback here applies only
to a checkout that does not have it yet.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

NAMING_FILE = Path("plugins/module_utils/naming.py")
_FALLBACK = re.compile(r"^[a-z]([a-z0-9-]*[a-z0-9])?$")
FALLBACK_MAX_LENGTH = 30

Validator = Callable[[str], str]


def fallback_error(name: str) -> str:
    if not name:
        return "a store needs a name"
    if len(name) > FALLBACK_MAX_LENGTH:
        return f"at most {FALLBACK_MAX_LENGTH} characters"
    if not _FALLBACK.match(name):
        return "lower-case letters, digits and '-', starting with a letter, not ending with '-'"
    return ""


def _load(path: Path) -> ModuleType | None:
    spec = importlib.util.spec_from_file_location("storefleet_naming_rules", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _adapt(module: ModuleType) -> Validator | None:
    """Accept the shapes a rules module may take: returns an error, or raises one."""
    returns_error = getattr(module, "store_name_error", None)
    if callable(returns_error):
        return lambda name: str(returns_error(name) or "")
    raises = getattr(module, "validate_store_name", None)
    if callable(raises):

        def validator(name: str) -> str:
            try:
                result = raises(name)
            except ValueError as error:
                return str(error)
            return result if isinstance(result, str) and result != name else ""

        return validator
    return None


def load_validator(repo: Path) -> tuple[Validator, bool]:
    """The store name check, and whether it is the collection's (False: fallback)."""
    path = repo / NAMING_FILE
    if path.is_file():
        module = _load(path)
        adapted = _adapt(module) if module else None
        if adapted:
            return adapted, True
    return fallback_error, False
