"""What a fleet upgrade accepts: the collection's own `plugins/module_utils/fleet_run.py`
(the checks fleet_upgrade.yml runs before any store changes), loaded by path.

As with the store name rules (core.naming), there is no second copy here: the form
refuses exactly what the playbook would refuse, and a checkout without the file
cannot start a fleet upgrade from the TUI.
"""

from __future__ import annotations

import hashlib
import importlib
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MODULE_UTILS = Path("plugins/module_utils")
UPGRADE_TAGS = ("store_backend_image_tag", "store_storefront_image_tag")


class FleetRulesError(RuntimeError):
    """The collection's fleet run rules cannot be loaded."""


@dataclass(frozen=True)
class FleetUpgrade:
    """A fleet upgrade as the form gives it: text, checked by `problems`."""

    backend_tag: str
    storefront_tag: str
    waves: str
    max_fail_percentage: str

    def request(self) -> dict[str, Any]:
        """The playbook's variables; the tags left empty are not given."""
        given: dict[str, Any] = {
            "fleet_waves": self.waves.strip(),
            "fleet_max_fail_percentage": self.max_fail_percentage.strip(),
        }
        for variable, tag in zip(
            UPGRADE_TAGS, (self.backend_tag, self.storefront_tag), strict=True
        ):
            if tag.strip():
                given[variable] = tag.strip()
        return given


class FleetRules:
    """The checks of plugins/module_utils/fleet_run.py, from one checkout."""

    def __init__(self, module: types.ModuleType) -> None:
        self._module = module

    def problems(self, upgrade: FleetUpgrade) -> list[str]:
        """Why the playbook would refuse `upgrade` before any store changes; [] if not."""
        return [str(p) for p in self._module.run_errors(upgrade.request(), [], None, "upgrade")]

    def extravars(self, upgrade: FleetUpgrade) -> dict[str, Any]:
        """The variables of a valid `upgrade`, waves and percentage as the playbook
        takes them (a list of counts and percentages, a whole number)."""
        given = upgrade.request()
        given["fleet_waves"] = list(self._module.waves(given["fleet_waves"]))
        given["fleet_max_fail_percentage"] = int(given["fleet_max_fail_percentage"])
        return given


def load_fleet_rules(repo: Path) -> FleetRules:
    """fleet_run.py and the module_utils it imports, as a package private to `repo`."""
    folder = repo / MODULE_UTILS
    if not (folder / "fleet_run.py").is_file():
        raise FleetRulesError(
            f"cannot load the fleet upgrade rules: {folder / 'fleet_run.py'} does not exist"
        )
    # One package name per checkout: two checkouts never share a cached module.
    package = "storefleet_rules_" + hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:12]
    if package not in sys.modules:
        module = types.ModuleType(package)
        module.__path__ = [str(folder)]
        sys.modules[package] = module
    try:
        return FleetRules(importlib.import_module(f"{package}.fleet_run"))
    except Exception as error:  # whatever the files raise, the form cannot check
        raise FleetRulesError(
            f"cannot load the fleet upgrade rules from {folder}: {error}"
        ) from error
