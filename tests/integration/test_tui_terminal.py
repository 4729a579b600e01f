"""A real terminal: tmux runs `storefleet` on the sandbox; keys navigate; the pane shows it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from storefleet_sandbox import SandboxClient
from tests.integration.tui_cluster import apply_store, delete_store, install_store_crd
from tests.unit.tui.recorded import REPO
from tests.waiting import wait_for

pytestmark = [
    pytest.mark.sandbox,
    pytest.mark.skipif(not shutil.which("tmux"), reason="needs tmux"),
]


@pytest.fixture
def tmux(sandbox: SandboxClient, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    session = f"storefleet-{uuid.uuid4().hex[:8]}"
    env = {
        **sandbox.env(),
        "STOREFLEET_KUBECONFIG": str(sandbox.kubeconfig),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "TERM": "xterm-256color",
    }
    yield session, env
    subprocess.run(["tmux", "kill-session", "-t", session], check=False, capture_output=True)


def pane(session: str) -> str:
    return subprocess.run(
        ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True, check=True
    ).stdout


def keys(session: str, *names: str) -> None:
    for name in names:
        subprocess.run(["tmux", "send-keys", "-t", session, name], check=True)
        # A lone Escape followed at once by a key reads as alt+key.
        time.sleep(0.3)


def test_storefleet_shows_the_stores_table_in_a_terminal(
    sandbox: SandboxClient, tmux: tuple[str, dict[str, str]]
) -> None:
    session, env = tmux
    install_store_crd(sandbox)
    apply_store(sandbox, "terminal-ready", "Ready")
    apply_store(sandbox, "terminal-failed", "Failed")
    storefleet = str(Path(sys.executable).parent / "storefleet")
    command = f"{storefleet} --inventory sandbox --readonly"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "140", "-y", "35", command],
        check=True,
        env=env,
        cwd=REPO,
    )
    try:
        screen = wait_for(
            lambda: "terminal-ready" in (text := pane(session)) and text, 60, "the stores table"
        )
        assert "storefleet-sandbox" in screen and "READONLY" in screen
        assert "http://terminal-ready.sandbox.127.0.0.1.nip.io" in screen
        keys(session, "/")
        subprocess.run(["tmux", "send-keys", "-t", session, "-l", "fail"], check=True)
        wait_for(
            lambda: "terminal-ready" not in pane(session) and "terminal-failed" in pane(session),
            20,
            "filter",
        )
        keys(session, "Escape", "?")
        wait_for(lambda: "storefleet keys" in pane(session), 20, "the help screen")
        keys(session, "Escape", "Enter")
        wait_for(
            lambda: "Admin" in pane(session) and "••••" in pane(session), 20, "the store detail"
        )
        keys(session, "C-q")
        wait_for(
            lambda: (
                subprocess.run(
                    ["tmux", "has-session", "-t", session], capture_output=True
                ).returncode
                != 0
            ),
            20,
            "exit",
        )
    finally:
        delete_store(sandbox, "terminal-ready")
        delete_store(sandbox, "terminal-failed")
