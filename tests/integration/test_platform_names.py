"""Hostile store names are refused with the rule they break, and nothing is created."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from storefleet_sandbox import SandboxClient
from tests.integration.test_platform_playbook import REPO_ROOT, ansible_env, ensure_platform

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

# name -> phrase of the CRD's message (the API server's own name check answers first for
# names that are not even DNS subdomains: uppercase, underscore, space, unicode, ...).
HOSTILE = {
    "": "metadata.name",
    "Demo": "RFC 1123",
    "a" * 36: "at most 35 characters",
    "a" * 64: "at most 35 characters",
    "-demo": "RFC 1123",
    "demo-": "RFC 1123",
    "my_store": "RFC 1123",
    "my.store": "only lowercase letters a-z, digits and '-'",
    "my store": "RFC 1123",
    "café": "RFC 1123",
    "$(id)": "RFC 1123",
    "../x": "RFC 1123",
    "1shop": "start with a letter",
    "system": "reserved",
    "argo": "reserved",
    "default": "reserved",
    "kube-system": "reserved",
    "storefleet-x": "reserved",
}


@pytest.fixture(scope="module")
def platform(sandbox: SandboxClient) -> SandboxClient:
    ensure_platform(sandbox)
    return sandbox


def store_object(name: str) -> str:
    return json.dumps(
        {
            "apiVersion": "storefleet.io/v1alpha1",
            "kind": "Store",
            "metadata": {"name": name, "namespace": "storefleet-system"},
            "spec": {"plan": "small"},
        }
    )


def store_names(sandbox: SandboxClient) -> set[str]:
    listed = sandbox.kubectl("-n", "storefleet-system", "get", "stores", "-o", "name")
    return {line.split("/", 1)[1] for line in listed.split()}


@pytest.mark.parametrize(("name", "rule"), HOSTILE.items(), ids=[repr(k)[:20] for k in HOSTILE])
def test_store_schema_refuses_hostile_names(platform: SandboxClient, name: str, rule: str) -> None:
    before = store_names(platform)
    result = subprocess.run(
        ["kubectl", f"--kubeconfig={platform.kubeconfig}", "create", "-f", "-"],
        input=store_object(name), capture_output=True, text=True, check=False,
        env=platform.env(), timeout=60,
    )  # fmt: skip
    assert result.returncode != 0, f"Store {name!r} was accepted"
    assert rule in result.stderr
    assert store_names(platform) == before


def test_modules_refuse_hostile_names_before_calling_the_cluster(
    platform: SandboxClient, tmp_path: Path
) -> None:
    # One real ansible run over every hostile name; each result must name its rule.
    names = [name for name in HOSTILE if name]
    playbook = [
        {
            "name": "Try hostile names",
            "hosts": "storefleet_controller",
            "gather_facts": False,
            "tasks": [
                {
                    "name": "Read a store by a hostile name",
                    "storefleet.platform.store_info": {
                        "name": "{{ item }}",
                        "kubeconfig": "{{ storefleet_kubeconfig }}",
                    },
                    "loop": names,
                    "ignore_errors": True,
                }
            ],
        }
    ]
    path = tmp_path / "hostile.yml"
    path.write_text(json.dumps(playbook))
    env = {**ansible_env(platform), "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.json"}
    result = subprocess.run(
        ["ansible-playbook", "-i", "inventories/sandbox", str(path)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    report = json.loads(result.stdout)
    results = report["plays"][0]["tasks"][0]["hosts"]["localhost"]["results"]
    assert [r["item"] for r in results] == names
    for item in results:
        assert item["failed"], f"{item['item']!r} was accepted"
        assert item["msg"].startswith("store name"), item["msg"]
