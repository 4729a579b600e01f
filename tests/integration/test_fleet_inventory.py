"""The sandbox's stores as an Ansible inventory (storefleet.platform.stores): Store
objects with labels show in `ansible-inventory --graph` in their groups, `--limit`
patterns pick them, and a second read within the cache time makes no call to the API
server (counted at a proxy in front of it)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from storefleet_sandbox import SandboxClient
from storefleet_sandbox.client import REPO_ROOT
from tests.integration.ansible_run import (
    PLATFORM_NAMESPACE,
    SANDBOX_INVENTORY,
    PlaybookRun,
    environment_for_cli,
    run_playbook,
)
from tests.integration.api_proxy import ApiProxy
from tests.integration.tui_cluster import delete_store, install_store_crd

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

# name -> (plan, phase, labels)
FLEET = {
    "inv-north": ("small", "Ready", {"tier": "beta", "region": "north"}),
    "inv-south": ("small", "Failed", {"tier": "beta", "region": "south"}),
    "inv-east": ("medium", "Ready", {"tier": "beta", "example.com/team": "shop-ops"}),
    "inv-west": ("medium", "Ready", {"tier": "stable"}),
}
BACKEND = "127.0.0.1:5000/storefleet/medusa-backend:2.8.4-1a2b3c4d"


def apply_labelled_store(sandbox: SandboxClient, name: str) -> None:
    """A Store object as the store role records and reports it: the inventory reads
    Store objects and nothing else of a store."""
    plan, phase, labels = FLEET[name]
    platform_labels = {"app.kubernetes.io/managed-by": "storefleet", "storefleet.io/store": name}
    store = {
        "apiVersion": "storefleet.io/v1alpha1",
        "kind": "Store",
        "metadata": {
            "name": name,
            "namespace": PLATFORM_NAMESPACE,
            "labels": {**labels, **platform_labels},
        },
        "spec": {"engine": "medusa", "plan": plan, "seedDemoData": True, "backendImage": BACKEND},
    }
    sandbox.kubectl("apply", "-f", "-", input_text=json.dumps(store))
    status = {"status": {"phase": phase, "message": f"{name} is {phase}", "helmRevision": 2}}
    sandbox.kubectl(
        "-n", PLATFORM_NAMESPACE, "patch", "store", name, "--subresource=status",
        "--type=merge", "-p", json.dumps(status),
    )  # fmt: skip


@pytest.fixture(scope="module")
def fleet(sandbox: SandboxClient) -> Iterator[SandboxClient]:
    install_store_crd(sandbox)
    for name in FLEET:
        apply_labelled_store(sandbox, name)
    yield sandbox
    for name in FLEET:
        delete_store(sandbox, name)


@pytest.fixture
def proxy(fleet: SandboxClient) -> Iterator[ApiProxy]:
    server = yaml.safe_load(fleet.kubeconfig.read_text())["clusters"][0]["cluster"]["server"]
    counting = ApiProxy(server)
    counting.accept()
    yield counting
    counting.refuse()


def inventory_source(tmp_path: Path) -> Path:
    """The sandbox inventory's stores source, its cache kept in this test's directory."""
    config = yaml.safe_load((SANDBOX_INVENTORY / "stores.storefleet.yml").read_text())
    config["cache_connection"] = str(tmp_path / "inventory-cache")
    path = tmp_path / "stores.storefleet.yml"
    path.write_text(yaml.safe_dump(config))
    return path


def ansible(sandbox: SandboxClient, kubeconfig: Path, *argv: str) -> str:
    env = {**environment_for_cli(sandbox), "STOREFLEET_KUBECONFIG": str(kubeconfig)}
    done = subprocess.run(
        argv, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    return done.stdout


def graph(sandbox: SandboxClient, kubeconfig: Path, source: Path) -> dict[str, set[str]]:
    """`ansible-inventory --graph` read back as group -> hosts (direct members)."""
    text = ansible(sandbox, kubeconfig, "ansible-inventory", "-i", str(source), "--graph")
    groups: dict[str, set[str]] = {}
    current = ""
    for line in text.splitlines():
        item = line.strip(" |-")
        if item.startswith("@"):
            current = item[1:].rstrip(":")
            groups.setdefault(current, set())
        elif item:
            groups[current].add(item)
    return groups


def test_the_graph_groups_the_fleet(fleet: SandboxClient, proxy: ApiProxy, tmp_path: Path) -> None:
    kubeconfig = proxy.kubeconfig(fleet.kubeconfig, tmp_path)
    groups = graph(fleet, kubeconfig, inventory_source(tmp_path))
    # Other tests may leave stores of their own in the sandbox: only these are checked.
    ours = {group: hosts & set(FLEET) for group, hosts in groups.items()}
    assert ours["stores"] == set(FLEET)
    assert ours["label_tier_beta"] == {"inv-north", "inv-south", "inv-east"}
    assert ours["label_tier_stable"] == {"inv-west"}
    assert ours["label_region_north"] == {"inv-north"}
    assert ours["label_example_com_team_shop_ops"] == {"inv-east"}
    assert ours["plan_medium"] == {"inv-east", "inv-west"}
    assert ours["phase_failed"] == {"inv-south"}
    assert ours["backend_2_8_4_1a2b3c4d"] == set(FLEET)
    assert proxy.connections >= 1


def test_a_limit_picks_stores_by_label_and_plan(
    fleet: SandboxClient, proxy: ApiProxy, tmp_path: Path
) -> None:
    kubeconfig = proxy.kubeconfig(fleet.kubeconfig, tmp_path)
    listed = ansible(
        fleet, kubeconfig, "ansible", "-i", str(inventory_source(tmp_path)),
        "label_tier_beta:&plan_medium", "--list-hosts",
    )  # fmt: skip
    assert [host for host in listed.split() if host in FLEET] == ["inv-east"], listed


def test_host_variables_come_from_the_store(
    fleet: SandboxClient, proxy: ApiProxy, tmp_path: Path
) -> None:
    kubeconfig = proxy.kubeconfig(fleet.kubeconfig, tmp_path)
    source = str(inventory_source(tmp_path))
    shown = ansible(fleet, kubeconfig, "ansible-inventory", "-i", source, "--host", "inv-east")
    host = json.loads(shown)
    assert host["ansible_connection"] == "local"
    assert host["fleet_store_plan"] == "medium"
    assert host["fleet_store_namespace"] == "store-inv-east"
    assert host["fleet_store_labels"] == {"tier": "beta", "example.com/team": "shop-ops"}
    assert host["fleet_store_phase"] == "Ready"
    assert host["fleet_store_backend_tag"] == "2.8.4-1a2b3c4d"
    assert host["fleet_store_helm_revision"] == 2
    assert host["fleet_store_created"]


def test_a_second_read_within_the_cache_time_calls_no_api(
    fleet: SandboxClient, proxy: ApiProxy, tmp_path: Path
) -> None:
    kubeconfig = proxy.kubeconfig(fleet.kubeconfig, tmp_path)
    source = inventory_source(tmp_path)
    first = graph(fleet, kubeconfig, source)
    after_first = proxy.connections
    assert after_first >= 1, "the first read must reach the API server"
    second = graph(fleet, kubeconfig, source)
    assert proxy.connections == after_first, "the cached read called the API server"
    assert second == first
    ansible(fleet, kubeconfig, "ansible-inventory", "-i", str(source), "--graph", "--flush-cache")
    assert proxy.connections > after_first, "--flush-cache must read the cluster again"


def shown(run: PlaybookRun, task: str) -> Any:
    (message,) = [
        event["event_data"]["res"]["msg"]
        for event in run.events
        if event.get("event") == "runner_on_ok" and event["event_data"].get("task") == task
    ]
    return message


def test_fleet_status_shows_the_limited_fleet(fleet: SandboxClient, tmp_path: Path) -> None:
    run = run_playbook(
        fleet, "storefleet.platform.fleet_status", tmp_path / "status",
        {"fleet_status_format": "json"}, limit="label_tier_beta:&plan_small",
    )  # fmt: skip
    assert run.ok, run.explain()
    rows = json.loads(shown(run, "Show the stores"))
    assert [row["store"] for row in rows if row["store"] in FLEET] == ["inv-north", "inv-south"]
    north = next(row for row in rows if row["store"] == "inv-north")
    assert north["phase"] == "Ready"
    assert north["backend"] == "2.8.4-1a2b3c4d"
    assert north["revision"] == 2
    assert north["age"].endswith(("s", "m"))


def test_fleet_status_table_has_a_line_per_store(fleet: SandboxClient, tmp_path: Path) -> None:
    run = run_playbook(
        fleet, "storefleet.platform.fleet_status", tmp_path / "table", limit="label_tier_stable"
    )
    assert run.ok, run.explain()
    header, *lines = shown(run, "Show the stores")
    assert header.split() == ["store", "phase", "plan", "versions", "revision", "age"]
    west = next(line.split() for line in lines if line.startswith("inv-west "))
    assert west[:5] == ["inv-west", "Ready", "medium", "2.8.4-1a2b3c4d/-", "2"]
