"""The test entry app: Storefleet on recorded data, at a fixed time.

Snapshot tests build it through `make_app`; `python -m tests.unit.tui.entry` runs it
in a terminal for a look at the screens without a cluster.
"""

from __future__ import annotations

import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storefleet_tui.app import StorefleetApp
from storefleet_tui.core.backend import Backend
from storefleet_tui.core.settings import load
from tests.unit.tui.recorded import REPO, RecordedBackend

DATA = Path(__file__).parent / "data"

NOW = datetime(2026, 1, 12, 12, 0, tzinfo=UTC)


def form_repo(tmp: Path) -> Path:
    """A checkout whose store role has a fixed argument spec: the create form's snapshot
    stays put while the role gains options (the naming rules are the collection's own)."""
    repo = tmp / "repo"
    meta = repo / "roles" / "store" / "meta"
    meta.mkdir(parents=True)
    shutil.copy(DATA / "store_argument_specs.yml", meta / "argument_specs.yml")
    utils = repo / "plugins" / "module_utils"
    utils.mkdir(parents=True)
    shutil.copy(REPO / "plugins" / "module_utils" / "naming.py", utils / "naming.py")
    return repo


def make_app(
    tmp: Path | None = None,
    readonly: bool = False,
    repo: Path = REPO,
    backend: Backend | None = None,
    **recorded: Any,
) -> StorefleetApp:
    """The app at a fixed time, on `backend` or else a RecordedBackend(**recorded)."""
    settings = load(
        Path("/nonexistent/settings.yaml"),
        environ={},
        repo=repo,
        readonly=readonly,
        artifacts_dir=(tmp or Path("/nonexistent")) / "runs",
    )
    return StorefleetApp(settings, backend or RecordedBackend(**recorded), clock=lambda: NOW)


if __name__ == "__main__":
    make_app(readonly="--readonly" in sys.argv).run()
