"""Store name rules: the collection's own `plugins/module_utils/naming.py`, loaded by path.

The role validates with that file, so the form does too. There is no second copy of
the rules here: a checkout without the file cannot create stores from the TUI.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

NAMING_FILE = Path("plugins/module_utils/naming.py")

Validator = Callable[[str], str]
"""Returns why a name is refused, or '' when it is a valid store name."""


class NamingRulesError(RuntimeError):
    """The collection's store name rules cannot be loaded."""


def load_validator(repo: Path) -> Validator:
    """The collection's `store_name_error`, from the checkout at `repo`."""
    path = repo / NAMING_FILE
    if not path.is_file():
        raise NamingRulesError(f"cannot load the store name rules: {path} does not exist")
    spec = importlib.util.spec_from_file_location("storefleet_naming_rules", path)
    if spec is None or spec.loader is None:
        raise NamingRulesError(f"cannot load the store name rules: {path} is not a Python file")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # whatever the file raises, the form cannot check names
        raise NamingRulesError(f"cannot load the store name rules from {path}: {error}") from error
    check = getattr(module, "store_name_error", None)
    if not callable(check):
        raise NamingRulesError(f"{path} has no store_name_error(name): not the collection's rules")
    return lambda name: str(check(name) or "")
