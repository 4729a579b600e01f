"""Settings: defaults, the YAML file, STOREFLEET_* overrides, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from storefleet_tui.core.settings import Settings, SettingsError, load
from tests.unit.tui.recorded import REPO


def test_defaults_put_artifacts_under_the_xdg_state_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    settings = load(tmp_path / "missing.yaml", environ={})
    assert settings.artifacts_dir == tmp_path / "state" / "storefleet" / "runs"
    assert settings.inventory == "sandbox"
    assert settings.readonly is False


def test_file_then_environment_then_arguments(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("inventory: local\nkeep_runs: 7\nreadonly: false\n")
    settings = load(path, environ={"STOREFLEET_READONLY": "yes", "STOREFLEET_KEEP_RUNS": "9"})
    assert (settings.inventory, settings.keep_runs, settings.readonly) == ("local", 9, True)
    assert load(path, environ={}, inventory="prod").inventory == "prod"


@pytest.mark.parametrize(
    ("text", "environ", "message"),
    [
        ("colour: blue\n", {}, "unknown settings colour"),
        ("- a list\n", {}, "expected a mapping"),
        ("keep_runs: [\n", {}, "not valid YAML"),
        ("", {"STOREFLEET_READONLY": "maybe"}, "readonly: 'maybe' is not a boolean"),
        ("keep_runs: 0\n", {}, "keep_runs must be at least 1"),
        ("keep_runs: many\n", {}, "keep_runs: 'many' is not a int"),
    ],
)
def test_bad_settings_fail_early_and_say_why(
    tmp_path: Path, text: str, environ: dict[str, str], message: str
) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(text)
    with pytest.raises(SettingsError, match=message):
        load(path, environ=environ)


def test_inventory_resolves_names_and_paths(tmp_path: Path) -> None:
    assert Settings(repo=REPO).inventory_path() == REPO / "inventories" / "sandbox"
    assert Settings(repo=REPO, inventory=str(tmp_path)).inventory_path() == tmp_path
    with pytest.raises(SettingsError, match="neither one of"):
        Settings(repo=REPO, inventory="staging").inventory_path()
