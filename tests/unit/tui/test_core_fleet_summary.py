"""The fleet summary line: stores per phase and per backend version."""

from __future__ import annotations

from storefleet_tui.core.fleet_summary import TIMES as T
from storefleet_tui.core.fleet_summary import fleet_summary
from storefleet_tui.core.stores import Store
from tests.unit.tui.recorded import fleet


def store(name: str, phase: str, image: str = "") -> Store:
    return Store(name, phase, "small", backend_image=image)


def test_counts_per_phase_in_lifecycle_order_and_per_version_in_version_order() -> None:
    stores = [store(f"r{i}", "Ready", "reg:5000/storefleet/backend:0.10.0") for i in range(3)]
    stores += [store(f"p{i}", "Provisioning", "ghcr.io/acme/backend:0.2.0") for i in range(2)]
    stores += [store("f", "Failed", "ghcr.io/acme/backend:0.2.0"), store("n", "Pending")]
    assert fleet_summary(stores) == (
        "7 stores · Pending 1 · Provisioning 2 · Ready 3 · Failed 1"
        f" · backend 0.2.0 {T}3, 0.10.0 {T}3, ? {T}1"
    )


def test_stores_without_images_say_nothing_of_versions() -> None:
    assert fleet_summary(fleet()) == "3 stores · Provisioning 1 · Ready 1 · Failed 1"
    assert fleet_summary([store("a", "Ready")]) == "1 store · Ready 1"
    assert fleet_summary([]) == ""


def test_a_port_in_the_registry_is_not_a_tag() -> None:
    assert store("a", "Ready", "registry:5000/backend").backend_version == ""
    assert store("a", "Ready", "registry:5000/backend:1.2").backend_version == "1.2"


def test_the_store_object_gives_its_backend_image() -> None:
    obj = {
        "metadata": {"name": "acme"},
        "spec": {"backendImage": "ghcr.io/acme/backend:0.3.1"},
        "status": {"phase": "Ready"},
    }
    assert Store.from_object(obj).backend_version == "0.3.1"


def test_five_thousand_stores_in_one_pass() -> None:
    stores = [store(f"s{i}", ("Ready", "Failed")[i % 2], f"b:0.{i % 3}.0") for i in range(5000)]
    assert fleet_summary(stores) == (
        "5000 stores · Ready 2500 · Failed 2500"
        f" · backend 0.0.0 {T}1667, 0.1.0 {T}1667, 0.2.0 {T}1666"
    )
