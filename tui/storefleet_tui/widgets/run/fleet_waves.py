"""A fleet upgrade at a glance: each wave's stores and where each stands, then the
failure message of every store that failed its gate."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from storefleet_tui.core.fleet_waves import FleetProgress, StoreProgress, StoreStep

STEP_STYLES = {
    StoreStep.WAITING: "dim",
    StoreStep.UPGRADING: "yellow",
    StoreStep.GATE: "cyan",
    StoreStep.ROLLING_BACK: "bold magenta",
    StoreStep.PASSED: "green",
    StoreStep.FAILED: "bold red",
    StoreStep.NOT_RUN: "dim",
}


def step_label(store: StoreProgress) -> str:
    if store.step is StoreStep.GATE:
        return f"gate {store.gate}"
    if store.step is StoreStep.ROLLING_BACK:
        return f"failed gate {store.gate}, rolling back"
    if store.step is StoreStep.FAILED:
        gate = f"failed gate {store.gate}" if store.gate else "failed"
        return f"{gate} → rolled back" if store.rolled_back else gate
    return store.step.value


def fleet_text(fleet: FleetProgress) -> Text:
    text = Text()
    for number, names in enumerate(fleet.waves, start=1):
        text.append(f"wave {number}", style="bold")
        for name in names:
            store = fleet.stores[name]
            text.append(f"  {name} ")
            text.append(step_label(store), style=STEP_STYLES[store.step])
        text.append("\n")
    waiting = fleet.waiting()
    if waiting:
        text.append("not run" if fleet.finished else "waiting", style="bold dim")
        text.append("  " + ", ".join(waiting) + "\n", style="dim")
    for store in fleet.failed():
        if store.message:
            text.append(store.message + "\n", style="red")
    text.rstrip()
    return text


class FleetWaves(Static):
    """Fed by the run screen on its redraw; repaints only when the text changes."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._shown = ""

    def show(self, fleet: FleetProgress) -> None:
        text = fleet_text(fleet) if fleet.waves or fleet.stores else Text("Waiting for a wave…")
        if text.plain != self._shown:
            self._shown = text.plain
            self.update(text)
