"""Helpers for driving the app in Pilot tests."""

from __future__ import annotations

from textual.app import App
from textual.pilot import Pilot


def screen_text(app: App[object]) -> str:
    """Everything on screen as plain text (the SVG export carries the glyphs)."""
    import html
    import re

    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def settle(pilot: Pilot[object], until: object = None, timeout: float = 5.0) -> None:
    """Let workers and timers run until `until()` holds."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause(0.05)
        if until is None or until():  # type: ignore[operator]
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"app did not settle: {until}")
