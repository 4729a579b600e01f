# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""The store_info module, run in the task's worker process: see plugin_utils."""

from __future__ import annotations

from ansible_collections.storefleet.platform.plugins.plugin_utils.in_process_module import (
    InProcessModuleAction,
)


class ActionModule(InProcessModuleAction):
    pass
