#!/usr/bin/env python
"""Storefleet TUI numbers: event ingest, UI stalls under a steady feed, start to first
paint, 5,000-store table update.

    python tests/bench/tui.py

Goals: >= 5,000 events/s poured in while the app stays responsive, a UI stall <= 50 ms
at p99 while 10,000 events/s arrive, first paint <= 1 s, a 5,000-store table update on
screen <= 100 ms. The exit code is 1 when a goal is missed.

Responsiveness is measured, not assumed: a 10 ms interval timer runs on the app's
event loop while events come in; a gap between two of its ticks is how long a key
press would have waited (a UI stall).
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from storefleet_tui.core.runner import RunRequest
from storefleet_tui.core.stores import Store, StoreChange
from storefleet_tui.messages import StoresChanged
from storefleet_tui.session import RunSession
from storefleet_tui.widgets.fleet.store_table import StoreTable
from tests.unit.tui.entry import make_app
from tests.unit.tui.recorded import long_run

# Poured in as fast as the feeding thread can: the ingest rate.
POURED_EVENTS = 20_000
# Fed at a steady rate for a few seconds: enough probe ticks for a p99.
PACED_EVENTS = 30_000
PACED_RATE = 10_000
# The probe timer: short enough that a stall of a few frames shows up.
TICK_SECONDS = 0.01
STORES = 5_000
PHASES = ("Ready", "Provisioning", "Failed", "Pending")
RELISTS = 7  # measured, after the first listing


@dataclass
class Ingest:
    rate: float
    """Events folded into the run's model per second."""
    drawn: float
    """Seconds from the first event until every task is in the tree."""
    gaps: list[float]
    """Seconds between ticks of the probe timer meanwhile, shortest first."""

    def gap(self, share: float) -> float:
        """The gap that `share` of all gaps are shorter than (0.99: the p99)."""
        return self.gaps[min(int(len(self.gaps) * share), len(self.gaps) - 1)]


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


async def ingest(stream: list[dict[str, Any]], pace: float | None = None) -> Ingest:
    """Feed `stream` to a run screen from a thread, as ansible-runner does: as fast as
    it goes, or `pace` events per second."""
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
            for index, event in enumerate(stream):
                if pace:
                    # Sleep only when a millisecond ahead: finer sleeps add wake-ups,
                    # not accuracy.
                    ahead = started + index / pace - time.perf_counter()
                    if ahead > 0.001:
                        time.sleep(ahead)
                sink(event)

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
        return Ingest(len(stream) / elapsed, drawn, gaps)


def relist(shift: int) -> tuple[Store, ...]:
    """STORES stores, each one's phase moved on by `shift`: every phase changes from
    one shift to the next."""
    now = datetime(2026, 1, 12, tzinfo=UTC)
    return tuple(
        Store(
            f"store-{i:04d}",
            PHASES[(i + shift) % len(PHASES)],
            "small",
            created=now - timedelta(minutes=i),
            urls={"storefront": f"http://store-{i:04d}.example"},
        )
        for i in range(STORES)
    )


async def table_update() -> tuple[float, float]:
    """Median time from a relist with every phase changed to the table holding it,
    and to the screen showing it (one full repaint)."""
    app = make_app(stores=[])
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.2)
        app.post_message(StoresChanged(StoreChange("SYNCED", stores=relist(0))))
        table = app.screen.query_one(StoreTable)
        while table.row_count < STORES:  # the first listing adds every row
            await pilot.pause(0.1)
        await pilot.pause(0.3)
        applied, painted = [], []
        for shift in range(1, RELISTS + 1):
            # Made just before it is posted, as the Store watch does: the garbage
            # collector sees these stores arrive, as it does in the app.
            stores = relist(shift)
            first = stores[0]
            started = time.perf_counter()
            app.post_message(StoresChanged(StoreChange("SYNCED", stores=stores)))
            while str(table.get_cell(first.name, "phase")) != first.phase:
                await asyncio.sleep(0.0005)
            applied.append(time.perf_counter() - started)
            await pilot.pause()  # ends with a compositor refresh: the frame is drawn
            painted.append(time.perf_counter() - started)
        return statistics.median(applied), statistics.median(painted)


def main() -> int:
    paint = asyncio.run(first_paint())
    poured_stream, paced_stream = long_run(POURED_EVENTS), long_run(PACED_EVENTS)
    # The synthesized events are the bench's own data (in a real run they are made one
    # at a time by ansible-runner): keep them out of full collections, which would
    # otherwise show up as 200 ms stalls of the app.
    gc.freeze()
    poured = asyncio.run(ingest(poured_stream))
    gc.collect()  # each measure starts without the garbage of the one before
    paced = asyncio.run(ingest(paced_stream, pace=PACED_RATE))
    gc.collect()
    applied, painted = asyncio.run(table_update())
    tick = TICK_SECONDS * 1000
    print(f"start to first paint        {paint * 1000:8.0f} ms   (goal <= 1000 ms)")
    print(
        f"run screen ingest           {poured.rate:8.0f} events/s"
        f" ({POURED_EVENTS} events poured in; goal >= 5000)"
    )
    drawn = poured.drawn * 1000
    print(f"  every task in the tree    {drawn:8.0f} ms   (drawn a frame budget at a time)")
    print(
        f"  longest UI stall          {poured.gaps[-1] * 1000:8.0f} ms   (max gap between ticks"
        f" of a {tick:.0f} ms timer; p95 {poured.gap(0.95) * 1000:.0f} ms; aim <= 100 ms)"
    )
    print(
        f"UI stall at {PACED_RATE} events/s   {paced.gap(0.99) * 1000:8.0f} ms   (p99 gap between"
        f" ticks of a {tick:.0f} ms timer; max {paced.gaps[-1] * 1000:.0f} ms; goal <= 50 ms)"
    )
    print(f"{STORES}-store table update     {applied * 1000:8.1f} ms   (in the table, median)")
    print(f"  on screen                 {painted * 1000:8.1f} ms   (goal <= 100 ms)")
    # Maxima are reported, not gated: on a shared CPU one descheduling shows up as a
    # stall of the app too. A p99 takes several.
    ok = paint <= 1.0 and poured.rate >= 5000 and paced.gap(0.99) <= 0.05 and painted <= 0.1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
