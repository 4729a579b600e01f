"""Store objects as inventory hosts: the variables and groups of each store, and the
inventory plugin storefleet.platform.stores on a Store list recorded from the sandbox
(two stores as the playbooks left them, one edited to another plan, version and labels,
one just recorded)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from ansible.errors import AnsibleParserError
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader
from ansible.template import Templar, trust_as_template
from ansible_collections.storefleet.platform.plugins.inventory import stores as plugin
from ansible_collections.storefleet.platform.plugins.module_utils.fleet_inventory import (
    age,
    group_name,
    host_groups,
    host_vars,
    store_labels,
)

RECORDED = Path(__file__).resolve().parents[2] / "fixtures" / "stores" / "store_list.json"


def recorded_items() -> list[dict[str, Any]]:
    return json.loads(RECORDED.read_text())["items"]


def recorded(name: str) -> dict[str, Any]:
    return next(item for item in recorded_items() if item["metadata"]["name"] == name)


# -- host variables and groups ------------------------------------------------------------


def test_a_ready_store_has_its_spec_and_status_as_variables() -> None:
    variables = host_vars(recorded("alpha"))
    assert variables["fleet_store_name"] == "alpha"
    assert variables["fleet_store_namespace"] == "store-alpha"
    assert variables["fleet_store_plan"] == "small"
    assert variables["fleet_store_phase"] == "Ready"
    assert variables["fleet_store_backend_tag"] == "latest"
    assert variables["fleet_store_storefront_image"] == (
        "127.0.0.1:5000/storefleet/medusa-storefront:latest"
    )
    assert variables["fleet_store_helm_revision"] == 1
    assert variables["fleet_store_urls"]["admin"] == "http://alpha.sandbox.127.0.0.1.nip.io/app"
    assert variables["fleet_store_labels"] == {"tier": "beta"}
    assert variables["fleet_store_created"] == "2026-11-29T17:27:48Z"
    assert variables["fleet_store_ready_at"] == "2026-11-29T17:31:19Z"
    assert all(name.startswith("fleet_store_") for name in variables)


def test_a_store_just_recorded_is_pending_with_no_revision() -> None:
    variables = host_vars(recorded("delta"))
    assert variables["fleet_store_phase"] == "Pending"
    assert variables["fleet_store_helm_revision"] is None
    assert variables["fleet_store_namespace"] == "store-delta"
    assert variables["fleet_store_urls"] == {}
    assert variables["fleet_store_labels"] == {}


def test_the_platform_labels_are_not_the_stores_own() -> None:
    assert store_labels(recorded("gamma")) == {"tier": "stable", "example.com/team": "shop-ops"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("alpha", ["stores", "phase_ready", "plan_small", "backend_latest", "storefront_latest",
                   "label_tier_beta"]),
        ("beta", ["stores", "phase_failed", "plan_small", "backend_latest", "storefront_latest",
                  "label_tier_beta"]),
        ("gamma", ["stores", "phase_ready", "plan_medium", "backend_2_8_4_1a2b3c4d",
                   "storefront_2_8_4_5e6f7a8b", "label_example_com_team_shop_ops",
                   "label_tier_stable"]),
        ("delta", ["stores", "phase_pending", "plan_large", "backend_latest",
                   "storefront_latest"]),
    ],
)  # fmt: skip
def test_groups_by_phase_plan_version_and_label(name: str, expected: list[str]) -> None:
    assert host_groups(host_vars(recorded(name))) == expected


def test_group_names_keep_only_letters_digits_and_underscores() -> None:
    assert group_name("label", "example.com/team", "shop-ops") == "label_example_com_team_shop_ops"
    assert group_name("backend", "2.8.4") == "backend_2_8_4"


# -- the plugin ---------------------------------------------------------------------------


class ReadCounter:
    """Stands in for the API read (the integration test reads a real cluster): the
    recorded Store list, trimmed as the plugin trims it, and how often it was asked."""

    def __init__(self) -> None:
        self.calls = 0

    def read(self, _plugin: Any, _connection: dict[str, str]) -> list[dict[str, Any]]:
        self.calls += 1
        return [plugin._trimmed(item) for item in recorded_items()]


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> ReadCounter:
    counter = ReadCounter()
    monkeypatch.setattr(
        plugin.InventoryModule,
        "_read_stores",
        lambda module, connection: counter.read(module, connection),
    )
    return counter


def source(tmp_path: Path, name: str = "stores.storefleet.yml", **options: Any) -> Path:
    path = tmp_path / name
    config = {"plugin": "storefleet.platform.stores", "kubeconfig": "/nonexistent", **options}
    path.write_text(yaml.safe_dump(config))
    return path


def inventory(path: Path) -> InventoryManager:
    return InventoryManager(loader=DataLoader(), sources=[str(path)], parse=True)


def members(manager: InventoryManager, group: str) -> list[str]:
    return sorted(host.name for host in manager.groups[group].get_hosts())


def test_every_store_is_a_local_host_in_its_groups(tmp_path: Path, reads: ReadCounter) -> None:
    manager = inventory(source(tmp_path))
    assert members(manager, "stores") == ["alpha", "beta", "delta", "gamma"]
    assert members(manager, "label_tier_beta") == ["alpha", "beta"]
    assert members(manager, "phase_failed") == ["beta"]
    assert members(manager, "plan_medium") == ["gamma"]
    gamma = manager.get_host("gamma").get_vars()
    assert gamma["ansible_connection"] == "local"
    assert gamma["fleet_store_helm_revision"] == 3
    assert manager.groups["all"].get_vars()["fleet_inventory_error"] == ""


def test_limit_patterns_pick_stores_by_label_and_plan(tmp_path: Path, reads: ReadCounter) -> None:
    manager = inventory(source(tmp_path))
    picked = manager.get_hosts("label_tier_beta:&phase_ready")
    assert [host.name for host in picked] == ["alpha"]


def test_keyed_groups_compose_and_groups_as_the_constructed_plugin(
    tmp_path: Path, reads: ReadCounter
) -> None:
    path = source(
        tmp_path,
        keyed_groups=[{"key": "fleet_store_labels['example.com/team'] | default('none')",
                       "prefix": "team"}],
        compose={"store_storefront_url": "fleet_store_urls.storefront | default('')"},
        groups={"needs_attention": "fleet_store_phase in ['Failed', 'Pending']"},
    )  # fmt: skip
    manager = inventory(path)
    assert members(manager, "team_shop_ops") == ["gamma"]
    assert members(manager, "team_none") == ["alpha", "beta", "delta"]
    assert members(manager, "needs_attention") == ["beta", "delta"]
    assert manager.get_host("gamma").get_vars()["store_storefront_url"] == (
        "http://gamma.sandbox.127.0.0.1.nip.io"
    )


def test_a_second_read_within_the_cache_time_reads_no_cluster(
    tmp_path: Path, reads: ReadCounter
) -> None:
    options = {
        "cache": True,
        "cache_plugin": "ansible.builtin.jsonfile",
        "cache_connection": str(tmp_path / "cache"),
        "cache_timeout": 60,
    }
    path = source(tmp_path, **options)
    first = inventory(path)
    second = inventory(path)
    assert reads.calls == 1
    assert members(second, "stores") == members(first, "stores")
    assert second.get_host("alpha").get_vars()["fleet_store_phase"] == "Ready"


def test_without_cache_every_read_reads_the_cluster(tmp_path: Path, reads: ReadCounter) -> None:
    path = source(tmp_path)
    inventory(path)
    inventory(path)
    assert reads.calls == 2


def test_only_its_own_file_names_are_claimed(tmp_path: Path) -> None:
    module = plugin.InventoryModule()
    assert module.verify_file(str(source(tmp_path, "stores.storefleet.yml")))
    assert module.verify_file(str(source(tmp_path, "stores.yml")))
    assert not module.verify_file(str(source(tmp_path, "hosts.yml")))


def unreadable(_plugin: Any, _connection: dict[str, str]) -> list[dict[str, Any]]:
    raise plugin.StoresReadError("cannot reach the API server https://127.0.0.1:1: refused")


def test_an_unreadable_cluster_warns_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plugin.InventoryModule, "_read_stores", unreadable)
    manager = inventory(source(tmp_path))
    assert members(manager, "stores") == []
    error = manager.groups["all"].get_vars()["fleet_inventory_error"]
    assert "cannot reach the API server" in error


def test_on_error_fail_fails_the_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plugin.InventoryModule, "_read_stores", unreadable)
    module = inventory_loader.get("storefleet.platform.stores")
    manager = InventoryManager(loader=DataLoader(), sources=[])
    path = source(tmp_path, on_error="fail")
    with pytest.raises(AnsibleParserError, match="cannot reach the API server"):
        module.parse(manager._inventory, DataLoader(), str(path), cache=False)


def test_a_store_named_like_an_existing_host_is_left_out(
    tmp_path: Path, reads: ReadCounter
) -> None:
    module = inventory_loader.get("storefleet.platform.stores")
    manager = InventoryManager(loader=DataLoader(), sources=[])
    manager._inventory.add_group("storefleet_controller")
    manager._inventory.add_host("alpha", group="storefleet_controller")
    module.parse(manager._inventory, DataLoader(), str(source(tmp_path)), cache=False)
    assert "alpha" not in manager._inventory.groups["stores"].host_names
    assert "beta" in manager._inventory.groups["stores"].host_names


# -- the fleet status table ---------------------------------------------------------------

NOW = "2026-11-29T19:27:48Z"


def status_rows(now: str = NOW) -> list[dict[str, Any]]:
    hosts = [host_vars(item) for item in recorded_items()]
    return render("hosts | storefleet.platform.fleet_status_rows(now)", hosts=hosts, now=now)


def render(expression: str, **variables: object) -> Any:
    templar = Templar(loader=DataLoader(), variables=variables)
    return templar.template(trust_as_template("{{ " + expression + " }}"))


def test_status_rows_are_sorted_with_versions_revision_and_age() -> None:
    rows = status_rows()
    assert [row["store"] for row in rows] == ["alpha", "beta", "delta", "gamma"]
    gamma = rows[-1]
    assert gamma == {
        "store": "gamma", "phase": "Ready", "plan": "medium", "backend": "2.8.4-1a2b3c4d",
        "storefront": "2.8.4-5e6f7a8b", "revision": 3, "created": "2026-11-29T17:35:02Z",
        "age": "112m",
    }  # fmt: skip
    assert rows[0]["age"] == "2h"
    assert rows[2]["revision"] is None


@pytest.mark.parametrize(
    ("created", "expected"),
    [("2026-11-29T19:27:18Z", "30s"), ("2026-11-29T19:20:48Z", "7m"),
     ("2026-11-25T19:27:48Z", "4d"), ("", "-"), ("yesterday", "-")],
)  # fmt: skip
def test_age_as_kubectl_shows_it(created: str, expected: str) -> None:
    now = datetime.fromisoformat(NOW.replace("Z", "+00:00"))
    assert age(created, now) == expected


def test_status_table_has_a_header_and_aligned_columns() -> None:
    lines = render("rows | storefleet.platform.fleet_status_lines", rows=status_rows())
    assert lines[0].split() == ["store", "phase", "plan", "versions", "revision", "age"]
    assert lines[2].split() == ["beta", "Failed", "small", "latest/latest", "-", "119m"]
    assert lines[4].split() == ["gamma", "Ready", "medium", "2.8.4-1a2b3c4d/2.8.4-5e6f7a8b", "3",
                                "112m"]  # fmt: skip
    # Every column starts where its header does.
    for column, value in (("phase", "Failed"), ("revision", "-"), ("age", "119m")):
        assert lines[2].index(" " + value + " " if column != "age" else " " + value) + 1 == (
            lines[0].index(column)
        )
