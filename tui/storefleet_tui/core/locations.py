"""Where Storefleet keeps its files: XDG base directories, per user."""

from __future__ import annotations

import os
from pathlib import Path

APP_DIR = "storefleet"


def _xdg(variable: str, fallback: str) -> Path:
    value = os.environ.get(variable, "")
    # The XDG spec says relative values are invalid and must be ignored.
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / fallback


def config_dir() -> Path:
    """`$XDG_CONFIG_HOME/storefleet`: the settings file."""
    return _xdg("XDG_CONFIG_HOME", ".config") / APP_DIR


def state_dir() -> Path:
    """`$XDG_STATE_HOME/storefleet`: run artifacts, kept between sessions."""
    return _xdg("XDG_STATE_HOME", ".local/state") / APP_DIR


def settings_file() -> Path:
    return config_dir() / "settings.yaml"


def repo_root() -> Path:
    """The collection checkout this package was installed from (editable install)."""
    return Path(__file__).resolve().parents[3]
