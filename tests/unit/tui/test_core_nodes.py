"""Nodes told apart as real or simulated (kwok): from names and annotations, and through
the real kubernetes client against a local API server that lists them or refuses to."""

from __future__ import annotations

from pathlib import Path

import pytest
from kubernetes.client.exceptions import ApiException

from storefleet_tui.core.cluster import ClusterReader
from storefleet_tui.core.nodes import ClusterNodes, classify_nodes
from tests.unit.tui.recorded import sandbox_nodes
from tests.unit.tui.store_api import StoreApi, serving

KWOK = {"kwok.x-k8s.io/node": "fake"}


def test_kwok_annotated_nodes_are_simulated_and_the_rest_real() -> None:
    nodes = classify_nodes(
        {
            "sandbox-node-2": KWOK,
            "sandbox-real-1": {"node.alpha.kubernetes.io/ttl": "0"},
            "sandbox-node-1": {**KWOK, "node.alpha.kubernetes.io/ttl": "0"},
            "worker-1": {},
        }
    )
    assert nodes == ClusterNodes(
        real=("sandbox-real-1", "worker-1"), simulated=("sandbox-node-1", "sandbox-node-2")
    )


def test_only_the_value_fake_makes_a_node_simulated() -> None:
    nodes = classify_nodes({"odd-1": {"kwok.x-k8s.io/node": "real"}})
    assert nodes == ClusterNodes(real=("odd-1",))


def test_no_nodes_are_neither_real_nor_simulated() -> None:
    assert classify_nodes({}) == ClusterNodes()


def test_the_reader_lists_the_sandbox_nodes(tmp_path: Path) -> None:
    with serving(StoreApi(nodes=sandbox_nodes())) as server:
        nodes = ClusterReader(server.kubeconfig(tmp_path)).nodes()
    assert nodes.real == ("sandbox-real-1",)
    assert nodes.simulated == ("sandbox-node-1", "sandbox-node-2", "sandbox-node-3")


def test_the_reader_raises_when_nodes_may_not_be_listed(tmp_path: Path) -> None:
    with serving(StoreApi(nodes=sandbox_nodes(), nodes_forbidden=True)) as server:
        reader = ClusterReader(server.kubeconfig(tmp_path))
        with pytest.raises(ApiException) as raised:
            reader.nodes()
    assert raised.value.status == 403
