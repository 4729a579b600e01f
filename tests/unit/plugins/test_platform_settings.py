"""The platform settings contract: every rule, the steps' environment, and the
store-provisioner image's inventory that maps the environment back."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from ansible_collections.storefleet.platform.plugins.module_utils import platform_settings as ps

REPO_ROOT = Path(__file__).resolve().parents[3]
IMAGE_SETTINGS = REPO_ROOT / "docker/store-provisioner/inventory/group_vars/all/settings.yml"
STORE_DEFAULTS = REPO_ROOT / "roles/store/defaults/main.yml"
GOOD: dict[str, Any] = {
    "store_domain": "shops.example.com",
    "store_image_registry": "registry.example.com:5000",
    "store_default_image_tag": "0.1.0",
    "store_tls_enabled": True,
    "store_cert_manager_issuer": "letsencrypt",
    "store_cookie_secure": "true",
    "store_worker_mode": "split",
    "store_cluster_simulated": False,
    "store_storage_class": "",
    "store_edge_routes": "gateway",
    "store_pod_node_selector": {"storefleet.io/real-node": "true"},
    "store_pod_tolerations": [
        {
            "key": "storefleet.io/real-node",
            "operator": "Equal",
            "value": "true",
            "effect": "NoSchedule",
        }
    ],
    "store_postgresql_image": "127.0.0.1:5000/storefleet-sandbox/postgres:0123abcd",
    "store_redis_image": "",
    "store_kubectl_image": "",
}


def test_good_settings_pass() -> None:
    assert ps.settings_errors(GOOD) == []


@pytest.mark.parametrize(
    ("variable", "value", "phrase"),
    [
        ("store_domain", "Shops.example.com", "dot-separated lowercase DNS labels"),
        ("store_domain", "", "non-empty"),
        ("store_image_registry", "registry example", "is not host[:port][/path]"),
        ("store_default_image_tag", "0.1 x", "is not a tag"),
        ("store_tls_enabled", "yes", "is not true or false"),
        ("store_cert_manager_issuer", "Lets_Encrypt", "is not a DNS subdomain"),
        ("store_cookie_secure", "", "is not true or false"),
        ("store_worker_mode", "both", "is not one of shared, split"),
        ("store_cluster_simulated", "1", "is not true or false"),
        ("store_storage_class", "fast ssd", "is not a DNS subdomain"),
        ("store_edge_routes", "tunnel", "is not one of gateway, ingress"),
        ("store_pod_node_selector", {"bad key!": "x"}, "label key"),
        ("store_pod_tolerations", [{"key": "a", "effect": "Sometimes"}], "unknown effect"),
        ("store_pod_tolerations", [{"keys": "a"}], "must be a toleration"),
        ("store_postgresql_image", "postgres:15\nstdin: true", "is not an image reference"),
    ],
)
def test_each_rule_names_the_setting_and_its_inventory_variable(
    variable: str, value: object, phrase: str
) -> None:
    (error,) = ps.settings_errors({**GOOD, variable: value})
    assert phrase in error
    assert ps.BY_VARIABLE[variable].inventory in error


def test_a_missing_setting_is_named() -> None:
    settings = dict(GOOD)
    del settings["store_domain"]
    assert ps.settings_errors(settings) == ["store_domain (inventory storefleet_domain) is not set"]


def test_environment_is_strings_with_booleans_as_true_false() -> None:
    environment = ps.settings_environment(GOOD)
    assert set(environment) == {s.environment for s in ps.SETTINGS}
    assert environment["STOREFLEET_TLS_ENABLED"] == "true"
    assert environment["STOREFLEET_COOKIE_SECURE"] == "true"
    assert environment["STOREFLEET_CLUSTER_SIMULATED"] == "false"
    assert environment["STOREFLEET_STORAGE_CLASS"] == ""
    assert all(isinstance(value, str) for value in environment.values())


def test_the_image_inventory_maps_every_setting_back() -> None:
    mapped = yaml.safe_load(IMAGE_SETTINGS.read_text())
    assert set(mapped) == {s.inventory for s in ps.SETTINGS}
    for setting in ps.SETTINGS:
        lookup = "lookup('ansible.builtin.env', '" + setting.environment + "')"
        if setting.rule in ps.JSON_RULES:
            empty = "{}" if setting.rule == "node-selector" else "[]"
            expected = "{{ (" + lookup + " or '" + empty + "') | ansible.builtin.from_json }}"
        else:
            expected = "{{ " + lookup + " }}"
        assert mapped[setting.inventory].strip() == expected


def test_the_store_role_reads_each_setting_from_its_inventory_variable() -> None:
    defaults = yaml.safe_load(STORE_DEFAULTS.read_text())
    for setting in ps.SETTINGS:
        assert re.match(r"\{\{ " + setting.inventory + r"\b", defaults[setting.variable])
