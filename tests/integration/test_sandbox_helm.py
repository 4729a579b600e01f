"""Real helm against the sandbox: install, upgrade, roll back, uninstall."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from storefleet_sandbox import SandboxClient
from tests.helm import helm

pytestmark = pytest.mark.sandbox

CHART = Path(__file__).parent / "charts" / "hello"


def _image(sandbox: SandboxClient, namespace: str) -> str:
    deployment = json.loads(
        sandbox.kubectl("-n", namespace, "get", "deployment", "hello", "-o", "json")
    )
    return str(deployment["spec"]["template"]["spec"]["containers"][0]["image"])


def test_helm_install_upgrade_rollback_uninstall(sandbox: SandboxClient) -> None:
    namespace = f"helm-{uuid.uuid4().hex[:6]}"
    common = ["--namespace", namespace, "--wait", "--timeout=90s"]
    helm(sandbox, "install", "hello", str(CHART), "--create-namespace", *common)
    assert _image(sandbox, namespace).endswith(":1.0")

    helm(sandbox, "upgrade", "hello", str(CHART), "--set", "tag=2.0", *common)
    assert _image(sandbox, namespace).endswith(":2.0")

    helm(sandbox, "rollback", "hello", "1", "--namespace", namespace, "--wait", "--timeout=90s")
    assert _image(sandbox, namespace).endswith(":1.0")
    history = json.loads(helm(sandbox, "history", "hello", "-n", namespace, "-o", "json"))
    assert [entry["revision"] for entry in history] == [1, 2, 3]
    assert history[-1]["status"] == "deployed"
    assert "Rollback to 1" in history[-1]["description"]

    helm(sandbox, "uninstall", "hello", "--namespace", namespace, "--wait", "--timeout=90s")
    assert json.loads(helm(sandbox, "list", "-n", namespace, "-o", "json")) == []
    assert not sandbox.kubectl(
        "-n", namespace, "get", "deployment", "hello", "--ignore-not-found", "-o", "name"
    )
