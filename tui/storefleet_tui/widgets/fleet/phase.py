"""How a store's phase and age read on screen."""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.text import Text

PHASE_STYLES = {
    "Ready": "bold green",
    "Provisioning": "bold yellow",
    "Pending": "dim",
    "Failed": "bold red",
    "Deleting": "magenta",
}
# An age reads in the largest unit it has reached.
AGE_UNITS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))


def phase_text(phase: str) -> Text:
    return Text(phase, style=PHASE_STYLES.get(phase, ""))


def age(created: datetime | None, now: datetime) -> str:
    """k9s-style age: 45s, 12m, 3h, 2d."""
    if created is None:
        return "-"
    return _age_reading(created, now)[0]


def _age_reading(created: datetime, now: datetime) -> tuple[str, datetime, datetime]:
    """The age at `now`, and from when until when it reads the same."""
    seconds = max(int((now - created).total_seconds()), 0)
    unit, size = next(((u, s) for u, s in AGE_UNITS if seconds >= s), AGE_UNITS[-1])
    count = seconds // size
    since = created + timedelta(seconds=count * size)
    return f"{count}{unit}", since, since + timedelta(seconds=size)


# A store's creation time, its age, and from when until when that age reads the same.
# A plain tuple of atoms: the garbage collector stops tracking it, and full collections
# need not walk thousands of them.
Reading = tuple[datetime, str, datetime, datetime]


class AgeCache:
    """The ages of stores by name, each kept while it reads the same.

    A relist of thousands of stores asks for as many ages, and most read as they did
    the last time ("3h" stays "3h" for an hour). Keyed by name, not by creation time:
    a relist brings new datetimes, and hashing those costs as much as the age itself.
    """

    def __init__(self) -> None:
        self._readings: dict[str, Reading] = {}

    def age(self, name: str, created: datetime | None, now: datetime) -> str:
        if created is None:
            return "-"
        reading = self._readings.get(name)
        if reading is not None:
            made, text, since, until = reading
            if made == created and since <= now < until:
                return text
        text, since, until = _age_reading(created, now)
        self._readings[name] = (created, text, since, until)
        return text

    def keep_at_most(self, count: int) -> None:
        """Start afresh past `count` ages, so deleted stores are not kept forever."""
        if len(self._readings) > count:
            self._readings.clear()
