# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""kubernetes.core.helm, run in the task's worker process: see plugin_utils."""

from __future__ import annotations

from ansible_collections.kubernetes.core.plugins.action.helm import (
    ActionModule as HelmAction,
)

# Imported in the controller so that every worker starts with the module loaded.
from ansible_collections.kubernetes.core.plugins.modules import helm  # noqa: F401
from ansible_collections.storefleet.platform.plugins.plugin_utils.in_process_module import (
    InProcessModules,
)


class ActionModule(InProcessModules, HelmAction):
    pass
