"""store_status and store_info against real Store objects, pods, quotas and Helm releases."""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path

import pytest

from storefleet_sandbox import SandboxClient, tool
from tests.integration.test_platform_playbook import REPO_ROOT, ansible_env, ensure_platform
from tests.waiting import wait_for

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

HELLO_CHART = Path(__file__).parent / "charts" / "hello"


def run_module(sandbox: SandboxClient, module: str, args: dict, *flags: str) -> dict:
    """One module run through `ansible` (ad hoc), its result as JSON."""
    env = {
        **ansible_env(sandbox),
        "ANSIBLE_LOAD_CALLBACK_PLUGINS": "1",
        "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.json",
    }
    args = {"kubeconfig": str(sandbox.kubeconfig), **args}
    result = subprocess.run(
        ["ansible", "-i", "inventories/sandbox", "localhost", "-m", module,
         "-a", json.dumps(args), *flags],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    report = json.loads(result.stdout)
    return report["plays"][0]["tasks"][0]["hosts"]["localhost"]


@pytest.fixture(scope="module")
def store(sandbox: SandboxClient):
    """A Store object, its namespace with a quota, and a real Helm release in it."""
    ensure_platform(sandbox)
    name = f"mod-{uuid.uuid4().hex[:6]}"
    namespace = f"store-{name}"
    sandbox.kubectl(
        "create", "-f", "-",
        input_text=json.dumps({
            "apiVersion": "storefleet.io/v1alpha1",
            "kind": "Store",
            "metadata": {"name": name, "namespace": "storefleet-system"},
            "spec": {"plan": "medium"},
        }),
    )  # fmt: skip
    sandbox.kubectl("create", "namespace", namespace)
    sandbox.kubectl("-n", namespace, "create", "quota", "store", "--hard=pods=10")
    helm = [tool("helm"), f"--kubeconfig={sandbox.kubeconfig}", "-n", namespace]
    for release_args in (["install"], ["upgrade", "--set", "tag=2.0"]):
        subprocess.run(
            [*helm, *release_args, name, str(HELLO_CHART), "--wait", "--timeout=90s"],
            check=True, capture_output=True, env=sandbox.env(), timeout=180,
        )  # fmt: skip
    yield name
    sandbox.kubectl("delete", "namespace", namespace, "--wait=false")
    sandbox.kubectl("-n", "storefleet-system", "delete", "store", name, "--ignore-not-found")


def read_status(sandbox: SandboxClient, name: str) -> dict:
    store = json.loads(
        sandbox.kubectl("-n", "storefleet-system", "get", "store", name, "-o", "json")
    )
    return store.get("status", {})


def test_store_status_writes_once_then_reports_no_change(
    sandbox: SandboxClient, store: str
) -> None:
    report = {"name": store, "phase": "Provisioning", "message": "Installing the release"}
    dry = run_module(sandbox, "storefleet.platform.store_status", report, "--check")
    assert dry["changed"] is True
    assert read_status(sandbox, store) == {}, "check mode wrote the status"

    first = run_module(sandbox, "storefleet.platform.store_status", report)
    assert first["changed"] is True
    status = read_status(sandbox, store)
    assert status["phase"] == "Provisioning"
    assert status["namespace"] == f"store-{store}"
    assert status["startedAt"]

    again = run_module(sandbox, "storefleet.platform.store_status", report)
    assert again["changed"] is False
    assert read_status(sandbox, store) == status

    urls = {"storefront": f"http://{store}.x.test", "api": f"http://api.{store}.x.test",
            "admin": f"http://api.{store}.x.test/app"}  # fmt: skip
    ready = {"name": store, "phase": "Ready", "message": "ready", "urls": urls, "helm_revision": 2}
    assert run_module(sandbox, "storefleet.platform.store_status", ready)["changed"] is True
    status = read_status(sandbox, store)
    assert status["urls"] == urls
    assert status["helmRevision"] == 2
    assert status["readyAt"] >= status["startedAt"]
    assert {c["type"]: c["status"] for c in status["conditions"]} == {"Ready": "True"}
    printed = sandbox.kubectl("-n", "storefleet-system", "get", "store", store)
    assert "Ready" in printed and urls["storefront"] in printed


def test_store_status_fails_clearly_for_a_missing_store(sandbox: SandboxClient, store: str) -> None:
    result = run_module(
        sandbox, "storefleet.platform.store_status", {"name": "nosuch", "phase": "Ready"}
    )
    assert result["failed"]
    assert "Store nosuch not found" in result["msg"]


def test_store_info_reads_pods_quota_and_helm_revision(sandbox: SandboxClient, store: str) -> None:
    def described() -> dict | None:
        result = run_module(sandbox, "storefleet.platform.store_info", {"name": store})
        found = result["stores"][0]
        # The quota controller reports use a moment after pods change.
        return found if found["quota"]["pods"]["used"] == "2" else None

    found = wait_for(described, timeout=90, what="store_info to see 2 pods in the quota")
    assert found["namespace"] == f"store-{store}"
    assert found["plan"] == "medium"
    assert found["engine"] == "medusa"
    assert found["helm_revision"] == 2
    assert found["pods"] == {"ready": 2, "total": 2}
    assert found["ready_pods"] == 2
    assert found["quota"]["pods"] == {"hard": "10", "used": "2"}


def test_store_info_lists_and_misses(sandbox: SandboxClient, store: str) -> None:
    listed = run_module(sandbox, "storefleet.platform.store_info", {})
    assert store in [s["name"] for s in listed["stores"]]
    assert listed["changed"] is False
    missing = run_module(sandbox, "storefleet.platform.store_info", {"name": "nosuch"})
    assert missing["stores"] == []
