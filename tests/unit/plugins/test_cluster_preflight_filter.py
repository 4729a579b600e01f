"""The cluster_preflight_problems filter, called directly and through Ansible templating.

tests/unit/test_cluster_preflight.py renders the role's variable with the role's own
probes and hints; these tests pin the filter's rules with short stand-in hints.
"""

from __future__ import annotations

from typing import Any

import pytest
from ansible.errors import AnsibleError, AnsibleFilterError
from ansible_collections.storefleet.platform.plugins.filter.cluster_preflight_problems import (
    FilterModule,
    cluster_preflight_problems,
)

from tests.unit.plugins.templating import render

MINIMUMS = {"docker": "24.0.0", "k3d": "5.7.0", "helm": "3.14.0"}
PROBES = {
    "docker": {
        "argv": ["docker", "info"],
        "pattern": r"Server Version: v?([0-9]+[.][0-9]+[.][0-9]+)",
    },
    "k3d": {"argv": ["k3d", "version"], "pattern": r"k3d version v?([0-9]+[.][0-9]+[.][0-9]+)"},
    "helm": {"argv": ["helm", "version"], "pattern": r"v?([0-9]+[.][0-9]+[.][0-9]+)"},
}
HINTS = {
    "docker_missing": "install docker.",
    "docker_unreachable": "start the engine.",
    "missing": "install it.",
    "old": "upgrade it.",
}
USABLE = [
    {"item": "docker", "rc": 0, "stdout": "Client:\n\nServer:\n Server Version: 28.2.2\n"},
    {"item": "k3d", "rc": 0, "stdout": "k3d version v5.9.0\nk3s version v1.31.5-k3s1"},
    {"item": "helm", "rc": 0, "stdout": "v3.22.0+g1a2b3c4"},
]


def answered(tool: str, **result: Any) -> list[dict[str, Any]]:
    """USABLE with `tool`'s result replaced by `result`."""
    return [{"item": tool, **result} if r["item"] == tool else r for r in USABLE]


def problems(results: list[dict[str, Any]]) -> list[str]:
    return cluster_preflight_problems(results, MINIMUMS, PROBES, HINTS)


def test_usable_tools_and_no_results_have_no_problem() -> None:
    assert problems(USABLE) == []
    assert problems([]) == []


def test_docker_failing_without_output_is_not_installed() -> None:
    assert problems(answered("docker", rc=2, stdout="")) == ["docker: install docker."]


def test_docker_failing_with_output_has_no_engine() -> None:
    found = problems(answered("docker", rc=1, stdout="Client:\n Version: 28.2.2\n\nServer:"))
    assert found == ["docker: start the engine."]


@pytest.mark.parametrize(
    "result",
    [
        {"rc": 2, "stdout": ""},
        # A command that could not start at all: no rc, no stdout.
        {},
        # A result without rc does not say the tool worked, whatever it printed.
        {"stdout": "k3d version v5.9.0"},
        # It ran, but its answer has no version.
        {"rc": 0, "stdout": "k3d: command not understood"},
        # It printed a version and failed.
        {"rc": 1, "stdout": "k3d version v5.9.0"},
    ],
)
def test_unusable_tool_is_missing_with_its_minimum(result: dict[str, Any]) -> None:
    assert problems(answered("k3d", **result)) == ["k3d >= 5.7.0 install it."]


def test_old_version_names_the_version_and_the_minimum() -> None:
    found = problems(answered("helm", rc=0, stdout="v3.9.4+g1"))
    assert found == ["helm 3.9.4 (need >= 3.14.0) upgrade it."]


def test_versions_compare_as_numbers_not_text() -> None:
    assert problems(answered("k3d", rc=0, stdout="k3d version v5.10.0")) == []
    assert problems(answered("k3d", rc=0, stdout="k3d version v5.7.0")) == []


def test_a_numeric_minimum_is_written_as_given() -> None:
    found = cluster_preflight_problems(
        answered("helm", rc=0, stdout="v2.0.0"), {**MINIMUMS, "helm": 3}, PROBES, HINTS
    )
    assert found == ["helm 2.0.0 (need >= 3) upgrade it."]


def test_every_problem_is_listed_in_the_order_of_the_results() -> None:
    results = [
        {"item": "helm", "rc": 127, "stdout": ""},
        {"item": "docker", "rc": 1, "stdout": "Server:"},
        {"item": "k3d", "rc": 0, "stdout": "k3d version v5.0.1"},
    ]
    assert problems(results) == [
        "helm >= 3.14.0 install it.",
        "docker: start the engine.",
        "k3d 5.0.1 (need >= 5.7.0) upgrade it.",
    ]


def test_a_tool_without_settings_is_an_error_naming_it() -> None:
    with pytest.raises(AnsibleFilterError, match="no minimum version for kubectl"):
        problems([*USABLE, {"item": "kubectl", "rc": 0, "stdout": "Client Version: v1.36.3"}])
    with pytest.raises(AnsibleFilterError, match="no probe for k3d"):
        cluster_preflight_problems(USABLE, MINIMUMS, {"docker": PROBES["docker"]}, HINTS)


def test_missing_hints_are_an_error_naming_them() -> None:
    hints = {"missing": "install it."}
    with pytest.raises(AnsibleFilterError, match="no hint docker_missing, docker_unreachable, old"):
        cluster_preflight_problems([], MINIMUMS, PROBES, hints)


def test_filter_module_lists_the_filter() -> None:
    assert FilterModule().filters() == {"cluster_preflight_problems": cluster_preflight_problems}


def test_through_ansible_templating() -> None:
    expression = "results | storefleet.platform.cluster_preflight_problems(minimums, probes, hints)"
    found = render(
        expression,
        results=answered("docker", rc=2, stdout=""),
        minimums=MINIMUMS,
        probes=PROBES,
        hints=HINTS,
    )
    assert found == ["docker: install docker."]
    with pytest.raises(AnsibleError, match="no hint"):
        render(expression, results=USABLE, minimums=MINIMUMS, probes=PROBES, hints={})
