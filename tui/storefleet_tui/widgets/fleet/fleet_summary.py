"""One line under the stores table: the fleet by phase and backend version."""

from __future__ import annotations

from textual.widgets import Static


class FleetSummary(Static):
    """Repaints only when its text changes: a relist mostly leaves it as it was."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__("", id=id)
        # Always displayed: showing it as the first stores arrive lays the screen out
        # again, and the table then kept the column widths of its empty self.
        self._shown = ""

    def show(self, text: str) -> None:
        if text != self._shown:
            self._shown = text
            self.update(text)
