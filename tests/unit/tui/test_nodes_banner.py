"""What the stores screen's banner says for each mix of real and simulated nodes."""

from __future__ import annotations

from storefleet_tui.core.nodes import ClusterNodes
from storefleet_tui.widgets.common.nodes_banner import ALL_SIMULATED, banner_text

SANDBOX = ClusterNodes(
    real=("sandbox-real-1",), simulated=("sandbox-node-1", "sandbox-node-2", "sandbox-node-3")
)


def test_one_real_node_is_named_and_the_simulated_ones_counted() -> None:
    assert banner_text(False, SANDBOX) == (
        "Real node sandbox-real-1 serves stores.\n"
        "3 simulated nodes run no containers (for scale tests only)."
    )


def test_two_real_nodes_and_one_simulated() -> None:
    nodes = ClusterNodes(real=("sandbox-real-1", "sandbox-real-2"), simulated=("sandbox-node-1",))
    assert banner_text(False, nodes) == (
        "Real nodes sandbox-real-1 and sandbox-real-2 serve stores.\n"
        "1 simulated node runs no containers (for scale tests only)."
    )


def test_many_real_nodes_are_named_up_to_three() -> None:
    nodes = ClusterNodes(real=("a", "b", "c", "d", "e"), simulated=("kwok-1",))
    assert banner_text(False, nodes).startswith("Real nodes a, b, c and 2 more serve stores.")


def test_all_simulated_by_nodes_or_by_the_inventory() -> None:
    assert banner_text(False, ClusterNodes(simulated=("sandbox-node-1",))) == ALL_SIMULATED
    assert banner_text(True, None) == ALL_SIMULATED
    assert banner_text(True, SANDBOX) == ALL_SIMULATED


def test_no_banner_when_every_node_is_real_or_the_nodes_are_unknown() -> None:
    assert banner_text(False, ClusterNodes(real=("worker-1", "worker-2"))) == ""
    assert banner_text(False, ClusterNodes()) == ""
    assert banner_text(False, None) == ""
