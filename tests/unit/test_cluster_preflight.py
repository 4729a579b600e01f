"""The cluster preflight verdict (roles/cluster vars/main.yml), from recorded tool answers.

tasks/preflight.yml registers what `docker info`, `k3d version`, `helm version --short`
and `kubectl version --client` answered; __cluster_preflight_problems turns that into
one line per problem. The answers below are what the tools print; the integration test
(tests/integration/test_site_preflight.py) runs the real preflight on this machine.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.test_cluster_command_lines import render, role_vars

DOCKER_WITH_ENGINE = "Client:\n Version:    28.2.2\n\nServer:\n Server Version: 28.2.2\n"
DOCKER_WITHOUT_ENGINE = "Client:\n Version:    28.2.2\n Context:    default\n\nServer:"
K3D = "k3d version v5.9.0\nk3s version v1.31.5-k3s1 (default)"
HELM = "v3.22.0+g1a2b3c4"
KUBECTL = "Client Version: v1.36.3\nKustomize Version: v5.7.1"

USABLE = {
    "docker": (0, DOCKER_WITH_ENGINE),
    "k3d": (0, K3D),
    "helm": (0, HELM),
    "kubectl": (0, KUBECTL),
}
NOT_FOUND = (2, "")


def problems(answers: dict[str, tuple[int, str]], kind: str = "k3d") -> list[str]:
    results: list[dict[str, Any]] = [
        {"item": tool, "rc": rc, "stdout": stdout} for tool, (rc, stdout) in answers.items()
    ]
    templar = role_vars(
        "local",
        "localhost",
        "cluster",
        {"cluster_kind": kind, "__cluster_preflight_probe": {"results": results}},
    )
    return render(templar, "__cluster_preflight_problems")


def test_usable_tools_pass() -> None:
    assert problems(USABLE) == []


def test_docker_client_without_engine_names_the_engine() -> None:
    found = problems({**USABLE, "docker": (1, DOCKER_WITHOUT_ENGINE)})
    assert len(found) == 1
    assert "Docker engine is not running or not reachable" in found[0]
    assert "docker info" in found[0]


def test_missing_docker_says_to_install_it() -> None:
    found = problems({**USABLE, "docker": NOT_FOUND})
    assert found == [found[0]]
    assert "Docker is not installed" in found[0]


@pytest.mark.parametrize("tool", ["k3d", "helm", "kubectl"])
def test_missing_tool_points_at_make_user_tools(tool: str) -> None:
    found = problems({**USABLE, tool: NOT_FOUND})
    assert len(found) == 1
    assert found[0].startswith(f"{tool} >= ")
    assert "make user-tools" in found[0]


def test_old_version_is_reported_with_the_minimum() -> None:
    found = problems({**USABLE, "k3d": (0, "k3d version v5.6.0\nk3s version v1.28.8-k3s1")})
    assert found == [
        "k3d 5.6.0 (need >= 5.7.0) is too old: run 'make user-tools' for the pinned version."
    ]


def test_unreadable_version_counts_as_missing() -> None:
    found = problems({**USABLE, "helm": (0, "something unexpected")})
    assert len(found) == 1
    assert found[0].startswith("helm >= 3.14.0 is not installed")


def test_every_problem_is_listed_at_once() -> None:
    found = problems(
        {
            "docker": (1, DOCKER_WITHOUT_ENGINE),
            "k3d": NOT_FOUND,
            "helm": (0, HELM),
            "kubectl": NOT_FOUND,
        }
    )
    assert [line.split()[0] for line in found] == ["docker:", "k3d", "kubectl"]


def test_k3s_does_not_need_k3d_on_the_controller() -> None:
    templar = role_vars("prod", "localhost", "cluster")
    assert render(templar, "__cluster_preflight_required[cluster_kind]") == [
        "docker",
        "helm",
        "kubectl",
    ]
    local = role_vars("local", "localhost", "cluster")
    assert render(local, "__cluster_preflight_required[cluster_kind]") == [
        "docker",
        "k3d",
        "helm",
        "kubectl",
    ]
