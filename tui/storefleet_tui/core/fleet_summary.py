"""The fleet in one line: how many stores, per phase and per backend version."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from storefleet_tui.core.stores import PHASES, Store

UNKNOWN_VERSION = "?"
TIMES = "\N{MULTIPLICATION SIGN}"


def version_order(version: str) -> tuple[bool, list[str | int]]:
    """0.2.0 before 0.10.0; the unknown version last. Digits and text alternate from a
    text part (maybe ''), so two keys compare part by part without mixing types."""
    parts = re.split(r"(\d+)", version)
    return version == UNKNOWN_VERSION, [int(p) if i % 2 else p for i, p in enumerate(parts)]


def fleet_summary(stores: Iterable[Store]) -> str:
    """'12 stores · Ready 10 · Provisioning 2 · backend 0.1.0 x8, 0.2.0 x4' (with TIMES
    for x); '' for none.

    One pass over the stores (a relist of 5,000 redoes it): two counters, no sorting of
    stores, only of the few phases and versions found."""
    phases: Counter[str] = Counter()
    versions: Counter[str] = Counter()
    for store in stores:
        phases[store.phase] += 1
        versions[store.backend_version or UNKNOWN_VERSION] += 1
    total = phases.total()
    if not total:
        return ""
    order = {phase: index for index, phase in enumerate(PHASES)}
    parts = [f"{total} store" + ("" if total == 1 else "s")]
    parts += [
        f"{phase} {count}"
        for phase, count in sorted(
            phases.items(), key=lambda item: (order.get(item[0], 99), item[0])
        )
    ]
    if set(versions) != {UNKNOWN_VERSION}:
        listed = sorted(versions.items(), key=lambda item: version_order(item[0]))
        parts.append(
            "backend " + ", ".join(f"{version} {TIMES}{count}" for version, count in listed)
        )
    return " · ".join(parts)
