"""One typed settings model: defaults, then the YAML file, then STOREFLEET_* variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

from storefleet_tui.core import locations


class SettingsError(ValueError):
    """The settings file or an override holds a value Storefleet cannot use."""


@dataclass(frozen=True)
class Settings:
    """What the `storefleet` command can be told, and where each value comes from.

    Every field can be set in `$XDG_CONFIG_HOME/storefleet/settings.yaml` (same name) or
    overridden with `STOREFLEET_<FIELD>` (upper case), which is how tests isolate runs.
    """

    inventory: str = "sandbox"
    """Inventory to act on: a name under `inventories/` (local, prod, sandbox) or a path."""

    readonly: bool = False
    """Hide every action that changes the cluster (create, delete, rollback, platform)."""

    artifacts_dir: Path = field(default_factory=lambda: locations.state_dir() / "runs")
    """Where ansible-runner writes one directory per run; never the working directory."""

    keep_runs: int = 50
    """How many past runs to keep in `artifacts_dir`; older ones are rotated away."""

    repo: Path = field(default_factory=locations.repo_root)
    """The storefleet.platform checkout that holds playbooks, roles and inventories."""

    cancel_poll_seconds: float = 0.2
    """How often a running playbook checks for cancel (ansible-runner `pexpect_timeout`)."""

    kubeconfig: Path | None = None
    """Kubeconfig for the cluster reader; unset means the inventory's `storefleet_kubeconfig`."""

    awx_url: str = ""
    """AWX that runs the playbooks as job templates (`--awx`); empty runs them here."""

    awx_token: str = field(default="", repr=False)
    """Personal access token for `awx_url` (prefer STOREFLEET_AWX_TOKEN); never shown."""

    awx_verify_tls: bool = True
    """Check the AWX's TLS certificate."""

    awx_poll_seconds: float = 1.0
    """How often a followed AWX job is asked for new events."""

    def inventory_path(self) -> Path:
        """The inventory directory or file the name stands for."""
        named = self.repo / "inventories" / self.inventory
        if named.exists():
            return named
        path = Path(self.inventory).expanduser()
        if path.exists():
            return path.resolve()
        known = sorted(p.name for p in (self.repo / "inventories").glob("*") if p.is_dir())
        raise SettingsError(
            f"inventory {self.inventory!r} is neither one of {', '.join(known)} nor a path"
        )


def _coerce(name: str, raw: Any, default: Any) -> Any:
    """Turn a YAML or environment value into the type of the field's default."""
    if name == "kubeconfig":
        return Path(str(raw)).expanduser() if raw not in (None, "") else None
    if isinstance(default, bool):
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off", ""):
            return False
        raise SettingsError(f"{name}: {raw!r} is not a boolean")
    if isinstance(default, Path):
        return Path(str(raw)).expanduser()
    try:
        return type(default)(raw)
    except (TypeError, ValueError) as error:
        raise SettingsError(f"{name}: {raw!r} is not a {type(default).__name__}") from error


def load(
    path: Path | None = None, environ: dict[str, str] | None = None, **overrides: Any
) -> Settings:
    """Settings from `path` (default: the XDG settings file), the environment, then `overrides`."""
    environ = dict(os.environ) if environ is None else environ
    path = path or Path(environ.get("STOREFLEET_SETTINGS", "") or locations.settings_file())
    settings = Settings()
    defaults = {f.name: getattr(settings, f.name) for f in fields(Settings)}
    values: dict[str, Any] = {}
    if path.is_file():
        try:
            document = yaml.safe_load(path.read_text()) or {}
        except yaml.YAMLError as error:
            raise SettingsError(f"{path}: not valid YAML: {error}") from error
        if not isinstance(document, dict):
            raise SettingsError(f"{path}: expected a mapping of settings")
        unknown = sorted(set(document) - set(defaults))
        if unknown:
            raise SettingsError(f"{path}: unknown settings {', '.join(unknown)}")
        if document.get("awx_token") and path.stat().st_mode & 0o077:
            raise SettingsError(f"{path} holds awx_token but others may read it: chmod 600 {path}")
        values.update(document)
    for name in defaults:
        env_value = environ.get(f"STOREFLEET_{name.upper()}")
        if env_value is not None:
            values[name] = env_value
    values.update({k: v for k, v in overrides.items() if v is not None})
    coerced = {k: _coerce(k, v, defaults[k]) for k, v in values.items()}
    settings = replace(settings, **coerced)
    if settings.keep_runs < 1:
        raise SettingsError("keep_runs must be at least 1")
    if settings.cancel_poll_seconds <= 0:
        raise SettingsError("cancel_poll_seconds must be positive")
    if settings.awx_poll_seconds <= 0:
        raise SettingsError("awx_poll_seconds must be positive")
    if settings.awx_url and not settings.awx_url.startswith(("https://", "http://")):
        raise SettingsError(f"awx_url {settings.awx_url!r} must start with https:// or http://")
    if settings.awx_url and not settings.awx_token:
        raise SettingsError(
            "AWX needs a token: set STOREFLEET_AWX_TOKEN, or awx_token in the settings file"
            " (a personal access token from AWX, /api/v2/tokens/)"
        )
    return settings
