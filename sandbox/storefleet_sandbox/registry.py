"""The image registry the real nodes pull from: CNCF distribution on loopback.

The same build -> push -> pull path as k3d's registry. Its storage is a machine-wide
cache, so images pushed once (by roles/images or the sandbox's own add-on images) are
there for every later sandbox; only the process is the sandbox's.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path

import yaml

REGISTRY_HOST = os.environ.get("STOREFLEET_SANDBOX_REGISTRY", "127.0.0.1:5000")


def storage_dir() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return cache / "storefleet" / "registry"


def write_config(path: Path) -> Path:
    storage = storage_dir()
    storage.mkdir(parents=True, exist_ok=True)
    config = {
        "version": 0.1,
        "log": {"level": "warn", "accesslog": {"disabled": True}},
        "storage": {
            "filesystem": {"rootdirectory": str(storage)},
            # Tags are rewritten when an image is rebuilt under the same content tag.
            "delete": {"enabled": True},
        },
        "http": {"addr": REGISTRY_HOST, "secret": os.urandom(16).hex()},
    }
    path.write_text(yaml.safe_dump(config))
    return path


def healthy() -> bool:
    with urllib.request.urlopen(f"http://{REGISTRY_HOST}/v2/", timeout=2) as response:
        return bool(response.status == 200)


def has_tag(repository: str, tag: str) -> bool:
    """Whether `repository:tag` is in the registry (repository without the host)."""
    request = urllib.request.Request(
        f"http://{REGISTRY_HOST}/v2/{repository}/manifests/{tag}",
        method="HEAD",
        headers={"Accept": "application/vnd.docker.distribution.manifest.v2+json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return bool(response.status == 200)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return False
        raise


def catalog() -> list[str]:
    with urllib.request.urlopen(f"http://{REGISTRY_HOST}/v2/_catalog", timeout=5) as response:
        return list(json.loads(response.read())["repositories"])
