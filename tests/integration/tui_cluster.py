"""Shared set-up of the TUI integration tests: the real Store CRD and Store objects."""

from __future__ import annotations

import json

from storefleet_sandbox import SandboxClient
from tests.unit.tui.recorded import REPO
from tests.waiting import wait_for

CRD = REPO / "roles" / "platform" / "files" / "store-crd.yml"


def install_store_crd(sandbox: SandboxClient) -> None:
    sandbox.kubectl("apply", "--server-side", "-f", str(CRD))
    sandbox.kubectl(
        "wait", "--for=condition=Established", "crd/stores.storefleet.io", "--timeout=60s"
    )
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "storefleet-system"}}
    sandbox.kubectl("apply", "-f", "-", input_text=json.dumps(namespace))


def apply_store(sandbox: SandboxClient, name: str, phase: str, plan: str = "small") -> None:
    store = {
        "apiVersion": "storefleet.io/v1alpha1",
        "kind": "Store",
        "metadata": {"name": name, "namespace": "storefleet-system"},
        "spec": {"engine": "medusa", "plan": plan, "seedDemoData": True},
    }
    sandbox.kubectl("apply", "-f", "-", input_text=json.dumps(store))
    status = {"status": {"phase": phase, "message": f"{name} is {phase.lower()}"}}
    if phase == "Ready":
        status["status"]["urls"] = {"storefront": f"http://{name}.sandbox.127.0.0.1.nip.io"}
    wait_for(
        lambda: sandbox.kubectl(
            "-n",
            "storefleet-system",
            "patch",
            "store",
            name,
            "--subresource=status",
            "--type=merge",
            "-p",
            json.dumps(status),
        ),
        30,
        f"status of store {name}",
    )


def delete_store(sandbox: SandboxClient, name: str) -> None:
    sandbox.kubectl(
        "-n", "storefleet-system", "delete", "store", name, "--ignore-not-found", "--wait=false"
    )
