"""Several stores at once: three concurrent creates, and the store cap under contention."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from storefleet_sandbox import SandboxClient
from tests.helm import helm_history
from tests.integration.ansible_run import (
    PLATFORM_NAMESPACE,
    namespace_exists,
    run_playbooks_at_once,
    running_pods_ready,
    store,
)

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

CAP_QUOTA = "storefleet-store-cap"


def _create_all(sandbox: SandboxClient, names: list[str], workdir: Path) -> dict:
    return run_playbooks_at_once(
        sandbox,
        {name: ("storefleet.platform.store_create", {"store_name": name}) for name in names},
        workdir,
    )


def _delete_all(sandbox: SandboxClient, names: list[str], workdir: Path) -> None:
    runs = run_playbooks_at_once(
        sandbox,
        {name: ("storefleet.platform.store_delete", {"store_name": name}) for name in names},
        workdir,
    )
    for run in runs.values():
        assert run.ok, run.explain()


def test_three_concurrent_creates_become_ready(platform: SandboxClient, workdir: Path) -> None:
    names = ["alpha", "bravo", "charlie"]
    try:
        runs = _create_all(platform, names, workdir / "create")
        for run in runs.values():
            assert run.ok, run.explain()
        for name in names:
            found = store(platform, name)
            assert found is not None and found["status"]["phase"] == "Ready", found
            assert running_pods_ready(platform, name)
    finally:
        _delete_all(platform, names, workdir / "delete")
    for name in names:
        assert store(platform, name) is None
        assert not namespace_exists(platform, name)


@pytest.fixture
def cap_of_two(platform: SandboxClient) -> Iterator[None]:
    """The platform's store cap lowered to 2 for one test, restored afterwards."""
    quota = json.loads(
        platform.kubectl("-n", PLATFORM_NAMESPACE, "get", "resourcequota", CAP_QUOTA, "-o", "json")
    )
    previous = quota["spec"]["hard"]["count/stores.storefleet.io"]
    existing = platform.kubectl(
        "-n", PLATFORM_NAMESPACE, "get", "stores.storefleet.io", "-o", "name"
    )
    assert existing.strip() == "", f"the cap test needs an empty platform, found: {existing}"

    def set_cap(value: str) -> None:
        patch = {"spec": {"hard": {"count/stores.storefleet.io": value}}}
        platform.kubectl(
            "-n",
            PLATFORM_NAMESPACE,
            "patch",
            "resourcequota",
            CAP_QUOTA,
            "--type=merge",
            "-p",
            json.dumps(patch),
        )

    set_cap("2")
    try:
        yield
    finally:
        set_cap(previous)


def test_store_cap_refuses_the_third_store(
    platform: SandboxClient, workdir: Path, cap_of_two: None
) -> None:
    names = ["delta", "echo", "foxtrot"]
    try:
        runs = _create_all(platform, names, workdir / "capped")
        created = [name for name, run in runs.items() if run.ok]
        refused = [name for name, run in runs.items() if not run.ok]
        assert len(created) == 2 and len(refused) == 1, {n: r.explain() for n, r in runs.items()}

        run = runs[refused[0]]
        messages = run.failure_messages()
        assert any("Store cap reached" in message for message in messages), run.explain()
        assert any(
            "record" in task.lower() or "store object" in task.lower()
            for task in run.failed_tasks()
        )

        # The refused store left nothing behind.
        assert store(platform, refused[0]) is None
        assert not namespace_exists(platform, refused[0])
        assert helm_history(platform, refused[0]) == []
        for name in created:
            found = store(platform, name)
            assert found is not None and found["status"]["phase"] == "Ready"
    finally:
        _delete_all(platform, names, workdir / "delete-capped")
