"""The cluster's nodes split into real ones, which run containers, and simulated ones."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# kwok takes over every Node annotated so: it reports pods Ready and runs no container.
KWOK_ANNOTATION = "kwok.x-k8s.io/node"
KWOK_VALUE = "fake"


@dataclass(frozen=True)
class ClusterNodes:
    """Node names, sorted, by whether they run containers."""

    real: tuple[str, ...] = ()
    simulated: tuple[str, ...] = ()


def classify_nodes(annotations: Mapping[str, Mapping[str, str]]) -> ClusterNodes:
    """Split nodes, given as their name and annotations, into real and simulated (kwok)."""
    simulated = {
        name for name, notes in annotations.items() if notes.get(KWOK_ANNOTATION) == KWOK_VALUE
    }
    real = annotations.keys() - simulated
    return ClusterNodes(real=tuple(sorted(real)), simulated=tuple(sorted(simulated)))
