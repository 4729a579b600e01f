"""The line at the top of every screen: where storefleet is pointed, and in what mode."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class ContextBar(Static):
    """Shows the inventory and kube context, readonly mode, and a cluster problem if any."""

    def on_mount(self) -> None:
        self.watch(self.app, "target_label", self._redraw)
        self.watch(self.app, "cluster_problem", self._redraw)

    def _redraw(self, _: object = None) -> None:
        app = self.app
        text = Text.assemble(
            ("storefleet", "bold"), "  ", ("⎈ ", "cyan"), str(getattr(app, "target_label", ""))
        )
        if getattr(app, "readonly", False):
            text.append("  READONLY", style="bold yellow")
        problem = getattr(app, "cluster_problem", "")
        if problem:
            text.append(f"  ✘ {problem}", style="red")
        self.update(text)
