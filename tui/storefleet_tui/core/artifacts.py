"""Past runs on disk: one ansible-runner artifact directory per run, oldest rotated away."""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RUN_LABEL_FILE = "storefleet-run.json"


@dataclass(frozen=True)
class PastRun:
    """A run found in the artifacts directory."""

    ident: str
    path: Path
    playbook: str
    status: str
    started: datetime

    @property
    def events_dir(self) -> Path:
        return self.path / "job_events"


def new_ident(playbook: str, now: datetime | None = None) -> str:
    """A sortable, readable run id: `20250101T120000.123456-store_create`."""
    now = now or datetime.now(UTC)
    short = playbook.rsplit(".", 1)[-1].removesuffix(".yml")
    return f"{now:%Y%m%dT%H%M%S.%f}-{short}"


def write_label(path: Path, playbook: str, extravars: dict[str, Any]) -> None:
    """Note what was run next to the runner's artifacts so the runs list can say it."""
    path.mkdir(parents=True, exist_ok=True)
    (path / RUN_LABEL_FILE).write_text(json.dumps({"playbook": playbook, "extravars": extravars}))


def list_runs(artifacts_dir: Path) -> list[PastRun]:
    """Past runs, newest first."""
    if not artifacts_dir.is_dir():
        return []
    runs = []
    for path in artifacts_dir.iterdir():
        if not path.is_dir():
            continue
        label: dict[str, Any] = {}
        with contextlib.suppress(OSError, ValueError):
            label = json.loads((path / RUN_LABEL_FILE).read_text())
        status_file = path / "status"
        status = status_file.read_text().strip() if status_file.exists() else "unknown"
        started = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        runs.append(
            PastRun(path.name, path, str(label.get("playbook", path.name)), status, started)
        )
    return sorted(runs, key=lambda run: run.ident, reverse=True)


def rotate(artifacts_dir: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` runs; return what was removed."""
    removed = []
    for run in list_runs(artifacts_dir)[keep:]:
        shutil.rmtree(run.path, ignore_errors=True)
        removed.append(run.path)
    return removed


def read_events(events_dir: Path) -> Iterator[dict[str, Any]]:
    """The events of a run in the order they happened (by `counter`)."""
    files = []
    for path in events_dir.glob("*.json"):
        counter, _, _ = path.name.partition("-")
        # Partial files (`*-partial.json`) are removed by runner once complete.
        if counter.isdigit() and not path.name.endswith("-partial.json"):
            files.append((int(counter), path))
    for _, path in sorted(files):
        try:
            yield json.loads(path.read_text())
        except ValueError:
            continue


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Events recorded one per line (the test fixtures, `storefleet --replay file.jsonl`)."""
    with path.open() as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)
