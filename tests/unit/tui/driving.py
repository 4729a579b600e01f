"""Helpers for driving the app in Pilot tests."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input


def screen_text(app: App[object]) -> str:
    """Everything on screen as plain text (the SVG export carries the glyphs)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def settle(
    pilot: Pilot[object], until: Callable[[], object] | None = None, timeout: float = 60.0
) -> None:
    """Let workers and timers run until `until()` holds.

    The timeout only tells a hang from a slow machine: a loaded one takes seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause(0.05)
        if until is None or until():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"app did not settle: {until}")


async def drawn(
    pilot: Pilot[object], shown: Iterable[str] = (), hidden: Iterable[str] = (), timeout: float = 60
) -> None:
    """Wait until the screen shows every text of `shown` and none of `hidden`."""
    shown, hidden = tuple(shown), tuple(hidden)

    def on_screen() -> bool:
        text = screen_text(pilot.app)
        return all(t in text for t in shown) and not any(t in text for t in hidden)

    await settle(pilot, on_screen, timeout)


def mounted(app: App[Any], screen: type[Screen[Any]], selector: str) -> bool:
    """The screen on top is a `screen` and has composed the widget `selector` names."""
    return isinstance(app.screen, screen) and bool(app.screen.query(selector))


def steady_cursors(app: App[object]) -> None:
    """Stop the cursors blinking: a screenshot must not depend on the blink's half-second."""
    for field in app.screen.query(Input):
        field.cursor_blink = False
