"""Bad requests stop in the validate phase, with the rule's message, and create nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from storefleet_sandbox import SandboxClient
from tests.integration.ansible_run import PLATFORM_NAMESPACE, run_playbook

pytestmark = [pytest.mark.sandbox]

HOSTILE_NAMES = {
    "path": ("../kube-system", "path separator"),
    "shell": ("demo;rm -rf", "not allowed"),
    "uppercase": ("Demo", "uppercase"),
    "reserved": ("kube-system", "reserved"),
    "too-long": ("a" * 64, "at most"),
    "empty": ("", ""),
}


def _cluster_objects(sandbox: SandboxClient) -> tuple[str, str]:
    namespaces = sandbox.kubectl("get", "namespaces", "-o", "name")
    stores = sandbox.kubectl("-n", PLATFORM_NAMESPACE, "get", "stores.storefleet.io", "-o", "name")
    return namespaces, stores


@pytest.mark.parametrize("case", sorted(HOSTILE_NAMES))
def test_hostile_name_is_refused_before_anything_exists(
    platform: SandboxClient, workdir: Path, case: str
) -> None:
    name, rule = HOSTILE_NAMES[case]
    before = _cluster_objects(platform)
    run = run_playbook(
        platform, "storefleet.platform.store_create", workdir / case, {"store_name": name}
    )
    assert not run.ok
    messages = run.failure_messages()
    assert messages, run.explain()
    assert rule.lower() in messages[0].lower(), messages
    # Refused by the role's first checks: argument validation or the name rule.
    assert (
        run.failed_tasks()[0]
        in {
            "Refuse an invalid store request",
            "Validating arguments against arg spec main - One store's lifecycle",
        }
        or "argument" in run.failed_tasks()[0].lower()
    ), run.failed_tasks()
    assert run.changed == 0
    assert _cluster_objects(platform) == before


def test_unknown_orchestrator_is_refused_clearly(platform: SandboxClient, workdir: Path) -> None:
    before = _cluster_objects(platform)
    run = run_playbook(
        platform,
        "storefleet.platform.store_create",
        workdir / "orchestrator",
        {"store_name": "viaother", "store_orchestrator": "other"},
    )
    assert not run.ok
    messages = run.failure_messages()
    assert any("store_orchestrator" in m and "direct" in m for m in messages), run.explain()
    assert _cluster_objects(platform) == before


def test_missing_platform_stops_with_a_clear_message(
    platform: SandboxClient, workdir: Path
) -> None:
    """A platform namespace that does not exist counts as a platform not installed."""
    before = _cluster_objects(platform)
    run = run_playbook(
        platform,
        "storefleet.platform.store_create",
        workdir / "no-platform",
        # The platform namespace is a fixed name: point the role at one that does not exist.
        {"store_name": "orphan", "__store_platform_namespace": "storefleet-nowhere"},
    )
    assert not run.ok
    messages = run.failure_messages()
    assert any("platform is not installed" in m for m in messages), run.explain()
    assert any("storefleet.platform.platform" in m for m in messages)
    assert _cluster_objects(platform) == before


# Each value of a request and each platform setting is checked against its rule (by the
# role's argument specs first, where they declare a type or choices, then the contracts).
BAD_VALUES = {
    "plan": ({"store_plan": "huge"}, "store_plan"),
    "seed": ({"store_seed_demo_data": "yes"}, "is not true or false"),
    "tag": ({"store_backend_image_tag": "1.0 store_plan=large"}, "is not a tag"),
    "label": ({"store_labels": {"app.kubernetes.io/name": "x"}}, "is reserved"),
    "domain": ({"storefleet_domain": "Shops.Example.com"}, "storefleet_domain"),
    "registry": ({"storefleet_image_registry": "http://registry"}, "storefleet_image_registry"),
    "default-tag": ({"storefleet_image_tag": "a b"}, "storefleet_image_tag"),
    "tls": ({"storefleet_tls_enabled": "sure"}, "store_tls_enabled"),
    "issuer": (
        {"storefleet_cert_manager_issuer": "Lets Encrypt"},
        "storefleet_cert_manager_issuer",
    ),
    "worker-mode": ({"storefleet_worker_mode": "both"}, "store_worker_mode"),
    "storage-class": ({"storefleet_storage_class": "fast ssd"}, "storefleet_storage_class"),
}


@pytest.mark.parametrize("case", sorted(BAD_VALUES))
def test_every_value_is_checked_before_anything_exists(
    platform: SandboxClient, workdir: Path, case: str
) -> None:
    extra, phrase = BAD_VALUES[case]
    before = _cluster_objects(platform)
    run = run_playbook(
        platform,
        "storefleet.platform.store_create",
        workdir / f"value-{case}",
        {"store_name": "checked", **extra},
    )
    assert not run.ok
    messages = run.failure_messages()
    assert any(phrase in message for message in messages), run.explain()
    assert run.changed == 0
    assert _cluster_objects(platform) == before
