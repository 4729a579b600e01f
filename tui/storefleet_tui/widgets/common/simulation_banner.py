"""The banner of a simulated cluster: stores go through their lifecycle but serve nothing."""

from __future__ import annotations

from textual.widgets import Static

MESSAGE = (
    "Simulated cluster: nodes are simulated, containers never run, stores are not served."
    " Create, watch and delete stores to try the lifecycle."
)


class SimulationBanner(Static):
    """Shown while the inventory sets `storefleet_cluster_simulated: true`."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(MESSAGE, id=id)

    def on_mount(self) -> None:
        self.watch(self.app, "cluster_simulated", self._toggle)

    def _toggle(self, simulated: bool) -> None:
        self.display = simulated
