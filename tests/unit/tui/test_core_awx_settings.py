"""The AWX settings: `--awx URL`, and a token from the environment or the settings file
that is never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from storefleet_tui.cli import parse
from storefleet_tui.core.awx.backend import AwxBackend
from storefleet_tui.core.backend import LocalBackend, backend_for
from storefleet_tui.core.settings import SettingsError, load

TOKEN = "t0ken-never-shown-4b7c"


def test_token_comes_from_the_environment_and_stays_out_of_repr() -> None:
    settings = load(
        Path("/nonexistent"),
        environ={"STOREFLEET_AWX_TOKEN": TOKEN},
        awx_url="https://awx.example.com",
    )
    assert settings.awx_token == TOKEN
    assert TOKEN not in repr(settings)
    assert isinstance(backend_for(settings), AwxBackend)
    assert TOKEN not in repr(backend_for(settings).client)  # type: ignore[attr-defined]


def test_without_awx_the_playbooks_run_here() -> None:
    assert isinstance(backend_for(load(Path("/nonexistent"), environ={})), LocalBackend)


def test_awx_without_a_token_is_refused_with_where_to_put_it() -> None:
    with pytest.raises(SettingsError, match="STOREFLEET_AWX_TOKEN"):
        load(Path("/nonexistent"), environ={}, awx_url="https://awx.example.com")


def test_awx_url_must_be_http(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="must start with https://"):
        load(
            Path("/nonexistent"), environ={"STOREFLEET_AWX_TOKEN": TOKEN}, awx_url="awx.example.com"
        )


def test_settings_file_with_a_token_must_be_private(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(f"awx_url: https://awx.example.com\nawx_token: {TOKEN}\n")
    path.chmod(0o644)
    with pytest.raises(SettingsError, match="chmod 600") as refused:
        load(path, environ={})
    assert TOKEN not in str(refused.value)
    path.chmod(0o600)
    assert load(path, environ={}).awx_token == TOKEN


def test_cli_flag() -> None:
    assert parse(["--awx", "https://awx.example.com"]).awx == "https://awx.example.com"
