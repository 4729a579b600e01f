# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""kubernetes.core.helm_info, run in the task's worker process: see plugin_utils."""

from __future__ import annotations

from ansible_collections.kubernetes.core.plugins.action.helm_info import (
    ActionModule as HelmInfoAction,
)

# Imported in the controller so that every worker starts with the module loaded.
from ansible_collections.kubernetes.core.plugins.modules import helm_info  # noqa: F401
from ansible_collections.storefleet.platform.plugins.plugin_utils.in_process_module import (
    InProcessModules,
)


class ActionModule(InProcessModules, HelmInfoAction):
    pass
