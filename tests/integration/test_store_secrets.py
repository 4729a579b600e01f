"""Generated secrets never show up in what ansible-runner records of a create run."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from storefleet_sandbox import SandboxClient
from tests.integration.ansible_run import apply_platform, kubectl_json, run_playbook

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

NAME = "vault"
GENERATED_KEYS = ("postgres-password", "jwt-secret", "cookie-secret", "admin-password")


def test_no_generated_secret_in_runner_artifacts(
    sandbox: SandboxClient, tmp_path_factory: pytest.TempPathFactory
) -> None:
    workdir: Path = tmp_path_factory.mktemp("store-secrets")
    apply_platform(sandbox, workdir)
    run = run_playbook(
        sandbox, "storefleet.platform.store_create", workdir / "create", {"store_name": NAME}
    )
    try:
        assert run.ok, run.explain()
        secret = kubectl_json(sandbox, "-n", f"store-{NAME}", "get", "secret", "store-credentials")
        encoded = [secret["data"][key] for key in GENERATED_KEYS]
        values = [base64.b64decode(value).decode() for value in encoded]
        assert all(len(value) >= 24 for value in values)

        needles = values + encoded
        files = list(run.artifact_files())
        assert any(path.name == "stdout" for path in files)
        leaks = [
            str(path.relative_to(run.private_data_dir))
            for path in files
            if any(needle in path.read_text(errors="replace") for needle in needles)
        ]
        assert leaks == [], f"generated secrets found in {leaks}"
        assert not any(needle in run.stdout for needle in needles)
        assert not any(needle in str(event) for event in run.events for needle in needles)
    finally:
        deleted = run_playbook(
            sandbox, "storefleet.platform.store_delete", workdir / "delete", {"store_name": NAME}
        )
        assert deleted.ok, deleted.explain()
