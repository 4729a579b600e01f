# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""kubernetes.core.helm_template, run in the task's worker process: see plugin_utils."""

from __future__ import annotations

# Imported in the controller so that every worker starts with the module loaded.
from ansible_collections.kubernetes.core.plugins.modules import helm_template  # noqa: F401
from ansible_collections.storefleet.platform.plugins.plugin_utils.in_process_module import (
    InProcessModuleAction,
)


class ActionModule(InProcessModuleAction):
    pass
