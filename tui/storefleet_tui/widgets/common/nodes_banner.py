"""The banner that says which nodes serve stores, when some or all of them are simulated."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from storefleet_tui.core.nodes import ClusterNodes

ALL_SIMULATED = (
    "Simulated cluster: nodes are simulated, containers never run, stores are not served."
    " Create, watch and delete stores to try the lifecycle."
)
# More real nodes than this are counted rather than named: the banner stays short.
NAMED_AT_MOST = 3


def _named(names: tuple[str, ...]) -> str:
    """`a`, `a and b`, `a, b and c`, `a, b, c and 2 more`."""
    if len(names) > NAMED_AT_MOST:
        return f"{', '.join(names[:NAMED_AT_MOST])} and {len(names) - NAMED_AT_MOST} more"
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


def banner_text(simulated: bool, nodes: ClusterNodes | None) -> str:
    """What the banner says, or "" when every node is real (or the nodes are unknown)."""
    if simulated or (nodes is not None and nodes.simulated and not nodes.real):
        return ALL_SIMULATED
    if nodes is None or not nodes.simulated:
        return ""
    serve = "Real node {} serves" if len(nodes.real) == 1 else "Real nodes {} serve"
    count = len(nodes.simulated)
    run = "simulated node runs" if count == 1 else "simulated nodes run"
    return (
        f"{serve.format(_named(nodes.real))} stores.\n"
        f"{count} {run} no containers (for scale tests only)."
    )


class NodesBanner(Static):
    """Follows the inventory's `storefleet_cluster_simulated` and the nodes the cluster lists."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._inventory_simulated = False
        self._listed_nodes: ClusterNodes | None = None

    def on_mount(self) -> None:
        self.watch(self.app, "cluster_simulated", self._simulated_changed)
        self.watch(self.app, "cluster_nodes", self._nodes_changed)

    def _simulated_changed(self, simulated: bool) -> None:
        self._inventory_simulated = simulated
        self._redraw()

    def _nodes_changed(self, nodes: ClusterNodes | None) -> None:
        self._listed_nodes = nodes
        self._redraw()

    def _redraw(self) -> None:
        text = banner_text(self._inventory_simulated, self._listed_nodes)
        self.update(Text(text))  # node names are shown as they are, never read as markup
        self.display = bool(text)
