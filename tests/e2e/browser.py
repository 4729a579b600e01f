"""Debian's Chromium driven by Playwright: never a downloaded browser."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Headless as root, and no calls home: the machine's network is closed.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# On 2 busy cores a server action can take seconds: assertions wait as long
# as actions do instead of Playwright's 5 s default.
PATIENCE_MS = 30_000


def launch_chromium(playwright):
    """Starts Chromium with a fresh, empty profile (launch() makes one per run)."""
    from playwright.sync_api import expect

    expect.set_options(timeout=PATIENCE_MS)
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} not found (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
