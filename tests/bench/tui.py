#!/usr/bin/env python
"""Storefleet TUI numbers: event ingest rate, start to first paint, 500-store update.

    python tests/bench/tui.py

Goals: >= 5,000 events/s while the app stays responsive, first paint <= 1 s, a
500-store table update on screen <= 100 ms.

Responsiveness is measured, not assumed: a 10 ms interval timer runs on the app's
event loop while events pour in; the longest gap between two of its ticks is the
longest time a key press would have waited (the UI stall).
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import itertools

from storefleet_tui.core.runner import RunRequest
from storefleet_tui.core.stores import Store, StoreChange
from storefleet_tui.messages import StoresChanged
from storefleet_tui.session import RunSession
from storefleet_tui.widgets.fleet.store_table import StoreTable
from tests.unit.tui.entry import make_app
from tests.unit.tui.recorded import long_run

EVENTS = 20_000
# The probe timer: short enough that a stall of a few frames shows up.
TICK_SECONDS = 0.01


async def first_paint() -> float:
    started = time.perf_counter()
    app = make_app()
    painted = 0.0
    async with app.run_test(size=(120, 36)) as pilot:
        while not app.fleet_synced or not app.screen.query(StoreTable):
            await pilot.pause(0.005)
        await pilot.pause()
        painted = time.perf_counter() - started
    return painted


async def ingest(stream: list[dict[str, Any]]) -> tuple[float, float, float, float]:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.2)
        session = RunSession(RunRequest("bench"))
        app.sessions[session.session_id] = session
        from storefleet_tui.screens.run import RunScreen

        await app.push_screen(RunScreen(session))
        await pilot.pause(0.1)
        ticks: list[float] = []
        timer = app.set_interval(TICK_SECONDS, lambda: ticks.append(time.perf_counter()))
        await pilot.pause(0.1)  # the probe ticks before the first event
        started = time.perf_counter()
        ticks.append(started)

        sink = app._sink(session.session_id)  # the sink the runner thread calls

        def feed() -> None:
            for event in stream:
                sink(event)

        import threading

        threading.Thread(target=feed, daemon=True).start()
        while session.model.events_seen < len(stream):
            await asyncio.sleep(0.01)
        elapsed = time.perf_counter() - started
        # The probe keeps ticking until the tree has drawn every task, too.
        while session.dirty:
            await asyncio.sleep(0.01)
        drawn = time.perf_counter() - started
        ticks.append(time.perf_counter())
        timer.stop()
        await pilot.pause(0.2)
        during = [t for t in ticks if t >= started]
        gaps = sorted(b - a for a, b in itertools.pairwise(during))
        if len(gaps) < 2:
            raise RuntimeError("the probe timer never ticked during ingest")
        p95 = gaps[int(len(gaps) * 0.95)]
        return len(stream) / elapsed, gaps[-1], p95, drawn


async def table_update() -> tuple[float, float]:
    """Median time from a 500-store relist with every phase changed to the table
    holding it, and to the screen showing it (one full repaint)."""
    now = datetime(2026, 1, 12, tzinfo=UTC)
    phases = ["Ready", "Provisioning", "Failed", "Pending"]

    def fleet(shift: int) -> tuple[Store, ...]:
        return tuple(
            Store(
                f"store-{i:03d}",
                phases[(i + shift) % 4],
                "small",
                created=now - timedelta(minutes=i),
                urls={"storefront": f"http://store-{i:03d}.example"},
            )
            for i in range(500)
        )

    app = make_app(stores=[])
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.2)
        app.post_message(StoresChanged(StoreChange("SYNCED", stores=fleet(0))))
        await pilot.pause(0.3)
        table = app.screen.query_one(StoreTable)
        applied, painted = [], []
        for shift in range(1, 8):
            relist = fleet(shift)
            target = phases[shift % 4]
            started = time.perf_counter()
            app.post_message(StoresChanged(StoreChange("SYNCED", stores=relist)))
            while str(table.get_cell("store-000", "phase")) != target:
                await asyncio.sleep(0.0005)
            applied.append(time.perf_counter() - started)
            await pilot.pause()  # ends with a compositor refresh: the frame is drawn
            painted.append(time.perf_counter() - started)
        return statistics.median(applied), statistics.median(painted)


def main() -> int:
    paint = asyncio.run(first_paint())
    stream = long_run(EVENTS)
    # The 20,000 synthesized events are the bench's own data (in a real run they are
    # made one at a time by ansible-runner): keep them out of full collections, which
    # would otherwise show up as 200 ms stalls of the app.
    gc.freeze()
    rate, worst_gap, p95_gap, drawn = asyncio.run(ingest(stream))
    applied, painted = asyncio.run(table_update())
    tick = TICK_SECONDS * 1000
    print(f"start to first paint        {paint * 1000:8.0f} ms   (goal <= 1000 ms)")
    print(f"run screen ingest           {rate:8.0f} events/s ({len(stream)} events; goal >= 5000)")
    print(f"  every task in the tree    {drawn * 1000:8.0f} ms   (drawn a frame budget at a time)")
    print(
        f"  longest UI stall          {worst_gap * 1000:8.0f} ms   (max gap between ticks"
        f" of a {tick:.0f} ms timer; p95 {p95_gap * 1000:.0f} ms; aim <= 100 ms)"
    )
    print(f"500-store table update      {applied * 1000:8.1f} ms   (in the table, median)")
    print(f"  on screen                 {painted * 1000:8.1f} ms   (goal <= 100 ms)")
    # The stall is reported, not gated: on a shared CPU one descheduling shows up as a
    # stall of the app too.
    ok = paint <= 1.0 and rate >= 5000 and painted <= 0.1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
