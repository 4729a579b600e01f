"""The linear strategy run through Mitogen: one warm Python per host runs every module,
instead of a new interpreter (and a new import of the Kubernetes client) per task."""

from __future__ import annotations

from ansible.plugins.loader import strategy_loader
from ansible.utils.display import Display

DOCUMENTATION = r"""
name: mitogen_linear
short_description: Ansible's linear strategy, with modules run by Mitogen
version_added: 0.1.0
description:
  - Runs tasks in the order of C(ansible.builtin.linear); Mitogen keeps one Python
    interpreter per host and runs each module in it, so a task costs no interpreter start
    and no new import of its libraries.
  - Without the C(mitogen) Python package next to ansible-core it is
    C(ansible.builtin.linear), with a warning.
author: Storefleet
"""

_Linear = strategy_loader.get("linear", class_only=True)

try:
    from ansible_mitogen.strategy import StrategyMixin
except ImportError:
    Display().warning(
        "storefleet.platform.mitogen_linear: the mitogen package is not installed; "
        "running the plain linear strategy."
    )

    class StrategyModule(_Linear):  # type: ignore[misc,valid-type]
        """ansible.builtin.linear, as Mitogen is missing."""

else:

    class StrategyModule(StrategyMixin, _Linear):  # type: ignore[no-redef,misc,valid-type]
        """ansible.builtin.linear with Mitogen's connection and module runner."""
