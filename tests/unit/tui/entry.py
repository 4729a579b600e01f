"""The test entry app: Storefleet on recorded data, at a fixed time.

Snapshot tests build it through `make_app`; `python -m tests.unit.tui.entry` runs it
in a terminal for a look at the screens without a cluster.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storefleet_tui.app import StorefleetApp
from storefleet_tui.core.settings import load
from tests.unit.tui.recorded import REPO, RecordedBackend

NOW = datetime(2026, 1, 12, 12, 0, tzinfo=UTC)


def make_app(tmp: Path | None = None, readonly: bool = False, **backend: Any) -> StorefleetApp:
    settings = load(
        Path("/nonexistent/settings.yaml"),
        environ={},
        repo=REPO,
        readonly=readonly,
        artifacts_dir=(tmp or Path("/nonexistent")) / "runs",
    )
    return StorefleetApp(settings, RecordedBackend(**backend), clock=lambda: NOW)


if __name__ == "__main__":
    make_app(readonly="--readonly" in sys.argv).run()
