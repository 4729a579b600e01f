"""Render charts/store with real helm and read the manifests back, for the chart tests."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import yaml

from tests.helm import STORE_CHART as CHART
from tests.helm import helm_template

VALUES = yaml.safe_load((CHART / "values.yaml").read_text())
PLANS = ("small", "medium", "large")
WORKER_MODES = ("shared", "split")
WORKLOADS = ("Deployment", "StatefulSet", "Job")

Manifest = dict[str, Any]


@functools.cache
def render(*args: str, release: str = "demo") -> tuple[Manifest, ...]:
    result = helm_template(*args, release=release)
    assert result.returncode == 0, result.stderr
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def render_plan(plan: str, worker_mode: str = "shared", *extra: str) -> tuple[Manifest, ...]:
    return render("--set", f"plan={plan}", "--set", f"medusa.workerMode={worker_mode}", *extra)


def of_kind(docs: tuple[Manifest, ...], kind: str) -> list[Manifest]:
    return [doc for doc in docs if doc["kind"] == kind]


def component(doc: Manifest) -> str:
    return str(doc["metadata"]["labels"]["app.kubernetes.io/component"])


def by_component(docs: tuple[Manifest, ...], kind: str) -> dict[str, Manifest]:
    return {component(doc): doc for doc in of_kind(docs, kind)}


def pod_specs(docs: tuple[Manifest, ...]) -> Iterator[tuple[Manifest, Manifest]]:
    """Each workload with the spec of the pods it creates."""
    for doc in docs:
        if doc["kind"] in WORKLOADS:
            yield doc, doc["spec"]["template"]["spec"]


def containers(pod: Manifest) -> list[Manifest]:
    return [*pod.get("initContainers", []), *pod["containers"]]


def env_of(container: Manifest) -> dict[str, Any]:
    return {item["name"]: item.get("value", item.get("valueFrom")) for item in container["env"]}
