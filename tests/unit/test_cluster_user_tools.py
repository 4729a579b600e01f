"""`make user-tools` (tools/fetch_user_tools.sh): pinned k3d/helm/kubectl, checked.

The real downloads need GitHub and dl.k8s.io; here a pins file of local file:// URLs
drives the same script, so the checksum check itself runs for real.
"""

from __future__ import annotations

import hashlib
import os
import platform
import re
import stat
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "tools" / "fetch_user_tools.sh"
PINS = REPO_ROOT / "tools" / "user-tools.sha256"
ARCH = {"x86_64": "linux-amd64", "aarch64": "linux-arm64"}.get(platform.machine(), "")

FAKE_K3D = "#!/bin/sh\necho 'k3d version v5.9.0'\necho 'k3s version v1.36.2-k3s1 (default)'\n"


def pins() -> list[list[str]]:
    return [
        line.split()
        for line in PINS.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]


def test_every_tool_is_pinned_for_linux_amd64_with_a_sha256() -> None:
    rows = pins()
    assert {row[0] for row in rows if row[2] == "linux-amd64"} == {"k3d", "helm", "kubectl"}
    for tool, version, _, sha256, url in rows:
        assert re.fullmatch(r"[0-9a-f]{64}", sha256), tool
        assert version in url and url.startswith("https://"), url
        assert "latest" not in url


def test_pins_match_the_versions_the_tests_use() -> None:
    versions = dict(
        line.split("=", 1)
        for line in (REPO_ROOT / "tools" / "versions.env").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    pinned = {row[0]: row[1] for row in pins()}
    assert pinned["helm"] == versions["HELM_VERSION"]
    assert pinned["kubectl"] == versions["KUBERNETES_VERSION"]


def fetch(tmp_path: Path, sha256: str) -> subprocess.CompletedProcess[str]:
    download = tmp_path / "k3d-download"
    download.write_text(FAKE_K3D)
    pins_file = tmp_path / "pins"
    pins_file.write_text(f"k3d v5.9.0 {ARCH} {sha256} file://{download}\n")
    return subprocess.run(
        [str(SCRIPT), "k3d"],
        env={
            **os.environ,
            "STOREFLEET_USER_TOOLS_PINS": str(pins_file),
            "STOREFLEET_USER_TOOLS_DIR": str(tmp_path / "bin"),
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.mark.skipif(not ARCH, reason="pins exist for Linux amd64/arm64 only")
def test_a_download_with_the_pinned_checksum_is_installed(tmp_path: Path) -> None:
    result = fetch(tmp_path, hashlib.sha256(FAKE_K3D.encode()).hexdigest())
    assert result.returncode == 0, result.stderr
    installed = tmp_path / "bin" / "k3d"
    assert installed.stat().st_mode & stat.S_IXUSR
    assert "k3d: v5.9.0" in result.stderr
    again = fetch(tmp_path, hashlib.sha256(FAKE_K3D.encode()).hexdigest())
    assert "already in" in again.stderr


@pytest.mark.skipif(not ARCH, reason="pins exist for Linux amd64/arm64 only")
def test_a_download_with_another_checksum_is_refused(tmp_path: Path) -> None:
    result = fetch(tmp_path, "0" * 64)
    assert result.returncode != 0
    assert "does not match the pinned sha256; nothing installed" in result.stderr
    assert not (tmp_path / "bin" / "k3d").exists()


def test_unknown_tool_is_refused(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(SCRIPT), "minikube"],
        env={**os.environ, "STOREFLEET_USER_TOOLS_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "unknown tool minikube" in result.stderr
