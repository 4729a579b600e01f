"""Reading an inventory's cluster variables with Ansible itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from storefleet_tui.core.target import TargetError, read_target
from tests.unit.tui.recorded import REPO


def test_sandbox_inventory_serves_stores_on_its_real_node(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STOREFLEET_KUBECONFIG", "/tmp/elsewhere/kubeconfig")
    target = read_target(REPO / "inventories" / "sandbox", REPO, "sandbox")
    assert target.simulated is False
    assert target.context == "storefleet-sandbox"
    assert target.kubeconfig == Path("/tmp/elsewhere/kubeconfig")
    assert target.label == "sandbox · storefleet-sandbox"


def test_local_inventory_is_not_simulated() -> None:
    target = read_target(REPO / "inventories" / "local", REPO, "local")
    assert target.simulated is False


def test_unreadable_inventory_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "hosts.yml"
    broken.write_text("all: [not, a, mapping\n")
    with pytest.raises(TargetError, match="cannot read"):
        read_target(broken, REPO)
