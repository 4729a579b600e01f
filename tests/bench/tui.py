#!/usr/bin/env python
"""Storefleet TUI numbers: event ingest rate, start to first paint, 500-store update.

    python tests/bench/tui.py

Goals: >= 5,000 events/s while the app stays responsive (a 50 ms timer keeps ticking),
first paint <= 1 s, a 500-store table update <= 100 ms.
"""

from __future__ import annotations

import asyncio
import copy
import sys
import time
import uuid
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
from tests.unit.tui.recorded import events

EVENTS = 20_000


def synthesized_stream(size: int) -> list[dict[str, Any]]:
    """Recorded plays repeated with fresh uuids until `size` events; one stats at the end."""
    recorded = [
        e
        for e in events("successful_run.jsonl")
        if e["event"] not in ("playbook_on_start", "playbook_on_stats")
    ]
    stream: list[dict[str, Any]] = [events("successful_run.jsonl")[0]]
    while len(stream) < size - 1:
        fresh: dict[str, str] = {}
        for event in recorded:
            copied = copy.deepcopy(event)
            for key in ("uuid", "parent_uuid"):
                if copied.get(key):
                    copied[key] = fresh.setdefault(copied[key], str(uuid.uuid4()))
            data = copied.get("event_data", {})
            for key in ("task_uuid", "play_uuid"):
                if data.get(key):
                    data[key] = fresh.setdefault(data[key], str(uuid.uuid4()))
            stream.append(copied)
            if len(stream) == size - 1:
                break
    stream.append(events("successful_run.jsonl")[-1])
    return stream


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


async def ingest(stream: list[dict[str, Any]]) -> tuple[float, float]:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.2)
        session = RunSession(RunRequest("bench"))
        app.sessions[session.session_id] = session
        from storefleet_tui.screens.run import RunScreen

        await app.push_screen(RunScreen(session))
        await pilot.pause(0.1)
        ticks: list[float] = []
        timer = app.set_interval(0.05, lambda: ticks.append(time.perf_counter()))
        started = time.perf_counter()

        sink = app._sink(session.session_id)  # the sink the runner thread calls

        def feed() -> None:
            for event in stream:
                sink(event)

        import threading

        threading.Thread(target=feed, daemon=True).start()
        while session.model.events_seen < len(stream):
            await asyncio.sleep(0.01)
        elapsed = time.perf_counter() - started
        timer.stop()
        await pilot.pause(0.2)
        gaps = [b - a for a, b in itertools.pairwise(ticks)]
        return len(stream) / elapsed, max(gaps, default=0.0)


async def table_update() -> float:
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
        best = []
        for shift in (1, 2, 3):
            started = time.perf_counter()
            app.post_message(StoresChanged(StoreChange("SYNCED", stores=fleet(shift))))
            target = phases[shift % 4]
            while str(table.get_cell("store-000", "phase")) != target:
                await asyncio.sleep(0.001)
            await pilot.pause()
            best.append(time.perf_counter() - started)
        return sorted(best)[1]


def main() -> int:
    paint = asyncio.run(first_paint())
    stream = synthesized_stream(EVENTS)
    rate, worst_gap = asyncio.run(ingest(stream))
    update = asyncio.run(table_update())
    print(f"start to first paint        {paint * 1000:8.0f} ms   (goal <= 1000 ms)")
    print(f"run screen ingest           {rate:8.0f} events/s ({len(stream)} events; goal >= 5000)")
    print(f"  longest UI stall          {worst_gap * 1000:8.0f} ms   (50 ms timer during ingest)")
    print(f"500-store table update      {update * 1000:8.1f} ms   (goal <= 100 ms)")
    ok = paint <= 1.0 and rate >= 5000 and update <= 0.1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
