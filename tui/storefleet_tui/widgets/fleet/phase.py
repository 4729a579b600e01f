"""How a store's phase and age read on screen."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

PHASE_STYLES = {
    "Ready": "bold green",
    "Provisioning": "bold yellow",
    "Pending": "dim",
    "Failed": "bold red",
    "Deleting": "magenta",
}


def phase_text(phase: str) -> Text:
    return Text(phase, style=PHASE_STYLES.get(phase, ""))


def age(created: datetime | None, now: datetime) -> str:
    """k9s-style age: 45s, 12m, 3h, 2d."""
    if created is None:
        return "-"
    seconds = max(int((now - created).total_seconds()), 0)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
