"""The recorded AWX 24.6.1: its API schema and the responses of a real server."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from tests.shared import AWX_RECORDED_DIR

VERSION = "24.6.1"


def _read(path: Path) -> Any:
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: the recorded AWX data lives in the shared folder "
            "(STOREFLEET_SHARED_DIR, default ../shared beside the checkout)"
        )
    return json.loads(path.read_text())


@functools.cache
def swagger() -> dict[str, Any]:
    data: dict[str, Any] = _read(AWX_RECORDED_DIR / "swagger.json")
    return data


@functools.cache
def _response(name: str) -> Any:
    return _read(AWX_RECORDED_DIR / "recorded" / name)


def get(endpoint: str) -> Any:
    """A recorded GET response, by the file's endpoint name (`jobs_2_job_events`)."""
    return json.loads(json.dumps(_response(f"{endpoint}.get.json")))


def options(endpoint: str) -> dict[str, Any] | None:
    """A recorded OPTIONS response, or None when that endpoint was not recorded."""
    path = AWX_RECORDED_DIR / "recorded" / f"{endpoint}.options.json"
    data: dict[str, Any] | None = _response(path.name) if path.is_file() else None
    return data
