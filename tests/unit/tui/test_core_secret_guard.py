"""Extra vars that look secret are refused, by name or by value, naming the variable
and never showing the value (ansible-runner keeps extra vars in its artifacts)."""

from __future__ import annotations

from typing import Any

import pytest

from storefleet_tui.core.runner import RunRequest
from storefleet_tui.core.secret_guard import SecretExtraVar, secret_problem

PEM = (
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
    "-----END OPENSSH PRIVATE KEY-----\n"
)
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    ".eyJzdWIiOiJzdG9yZWZsZWV0In0"
    ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
)
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
GITHUB_TOKEN = "ghp_R8vQ2mZk4Lx9Tn6Wc1Yb7Hs3Jd5Fg0Pa2Ke8"


@pytest.mark.parametrize(
    "name",
    [
        "password",
        "store_admin_password",
        "db_passwd",
        "ansible_become_pass",
        "store_pwd",
        "ssh_key",
        "api_key",
        "apiKey",
        "privateKey",
        "signing_keys",
        "registry_credentials",
        "aws_credential",
        "auth_token",
        "clientSecret",
        "gpg_passphrase",
    ],
)
def test_secret_names_are_refused(name: str) -> None:
    problem = secret_problem({name: "x"})
    assert f"extra var {name!r} looks secret (its name says it holds a secret)" in problem


@pytest.mark.parametrize(
    "name",
    [
        "store_name",
        "store_plan",
        "store_seed_demo_data",
        "store_orchestrator",
        "store_backend_image_tag",
        "store_storefront_image_tag",
        "store_rollback_revision",
        "store_labels",
        "bypass_cache",
        "compass_heading",
        "keyboard_layout",
        "monkey",
    ],
)
def test_ordinary_names_pass(name: str) -> None:
    assert secret_problem({name: "small"}) == ""


@pytest.mark.parametrize(
    ("value", "looks_like"),
    [
        (PEM, "a PEM block"),
        (JWT, "a JWT"),
        (f"Bearer {JWT}", "a JWT"),
        (AWS_SECRET, "a key (a long random string)"),
        (GITHUB_TOKEN, "a key (a long random string)"),
    ],
)
def test_values_that_look_like_keys_are_refused_without_showing_them(
    value: str, looks_like: str
) -> None:
    problem = secret_problem({"store_note": value})
    assert problem.startswith(
        f"extra var 'store_note' looks secret (its value looks like {looks_like})"
    )
    for part in value.split():
        assert part not in problem


@pytest.mark.parametrize(
    "value",
    [
        "1.4.2",
        "3f2a9c1e0b7d",
        "sha256:" + "0123456789abcdef" * 4,
        "registry.example.com/storefleet/medusa-backend@sha256:" + "ab12" * 16,
        "4cfa731e-81d2-4ca7-8d91-468b3580955c",
        "a" * 35,
        "shop-2f9c8e7d1a4b6c3e5f7a9b1d3c5e7f9",
        "MyVeryLongConfigurationValue2024Edition",
        "http://demo.local.127.0.0.1.nip.io",
    ],
)
def test_public_values_pass(value: str) -> None:
    assert secret_problem({"store_backend_image_tag": value}) == ""


def test_nested_values_are_named_by_their_path() -> None:
    labels: dict[str, Any] = {"store_labels": {"team": "shop", "owner": JWT}}
    assert "extra var 'store_labels.owner' looks secret" in secret_problem(labels)
    labels = {"store_labels": {"api-token": "x"}}
    assert "extra var 'store_labels.api-token' looks secret" in secret_problem(labels)
    listed = {"store_hosts": ["a.example", AWS_SECRET]}
    assert "extra var 'store_hosts[1]' looks secret" in secret_problem(listed)


def test_a_run_request_refuses_them() -> None:
    with pytest.raises(SecretExtraVar, match="'store_admin_password' looks secret"):
        RunRequest("storefleet.platform.store_create", {"store_admin_password": "x"})
    with pytest.raises(ValueError, match="'store_contact' looks secret"):
        RunRequest("storefleet.platform.store_create", {"store_contact": JWT})
    request = RunRequest("storefleet.platform.store_create", {"store_name": "demo"})
    assert request.extravars == {"store_name": "demo"}
