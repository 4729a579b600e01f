"""The line at the top of every screen: where storefleet is pointed, and in what mode."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class ContextBar(Static):
    """Shows the inventory and kube context, readonly mode, and a cluster problem if any.

    Follows the app's `target_label` and `cluster_problem`; readonly is fixed at start.
    """

    def __init__(self, readonly: bool) -> None:
        super().__init__()
        self.readonly = readonly
        self._target = ""
        self._problem = ""

    def on_mount(self) -> None:
        self.watch(self.app, "target_label", self._target_changed)
        self.watch(self.app, "cluster_problem", self._problem_changed)

    def _target_changed(self, target: str) -> None:
        self._target = target
        self._redraw()

    def _problem_changed(self, problem: str) -> None:
        self._problem = problem
        self._redraw()

    def _redraw(self) -> None:
        text = Text.assemble(("storefleet", "bold"), "  ", ("⎈ ", "cyan"), self._target)
        if self.readonly:
            text.append("  READONLY", style="bold yellow")
        if self._problem:
            text.append(f"  ✘ {self._problem}", style="red")
        self.update(text)
