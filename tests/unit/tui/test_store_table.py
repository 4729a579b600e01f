"""The store table on its own: ages read from a cache, cells written in place, rows that
come and go without laying the table out again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from textual.pilot import Pilot

from storefleet_tui.app import StorefleetApp
from storefleet_tui.core.stores import Store, StoreChange
from storefleet_tui.messages import StoresChanged
from storefleet_tui.widgets.fleet.phase import AgeCache, age
from storefleet_tui.widgets.fleet.store_table import StoreTable
from tests.unit.tui.driving import drawn, screen_text, settle
from tests.unit.tui.entry import NOW, make_app

CREATED = datetime(2026, 1, 10, 7, 30, 15, 250_000, tzinfo=UTC)
PHASES = ("Ready", "Provisioning", "Failed", "Pending")


def stores(count: int, shift: int = 0) -> list[Store]:
    """`count` stores, older down the list; `shift` moves every phase on."""
    return [
        Store(
            f"s{i:03d}",
            PHASES[(i + shift) % len(PHASES)],
            "small",
            created=NOW - timedelta(minutes=7 * i),
            urls={"storefront": f"http://s{i:03d}.x"},
        )
        for i in range(count)
    ]


def phases_on_screen(text: str, names: list[str]) -> dict[str, str]:
    """The phase each of `names` reads on its line of the screen."""
    found = {}
    for line in text.splitlines():
        words = line.replace("│", " ").split()
        for index, word in enumerate(words[:-1]):
            if word in names:
                found[word] = words[index + 1]
    return found


async def table_showing(app: StorefleetApp, pilot: Pilot[object], count: int) -> StoreTable:
    """The fleet screen's table, once it shows `count` stores."""
    table = app.screen.query_one(StoreTable)
    await settle(pilot, lambda: table.row_count == count)
    return table


def test_cached_ages_read_as_worked_out_ones_across_every_unit() -> None:
    cache = AgeCache()
    steps = [timedelta(seconds=s) for s in (0, 0.4, 0.6, 1, 59, 59.9, 60, 61, 3599, 3600)]
    steps += [timedelta(hours=23, minutes=59, seconds=59.5), timedelta(days=1), timedelta(days=9)]
    moments = [CREATED + step for step in steps]
    # Forwards, then backwards (a clock set back), then before the store was made.
    for now in [*moments, *reversed(moments), CREATED - timedelta(seconds=5)]:
        assert cache.age("s", CREATED, now) == age(CREATED, now), now


def test_a_store_made_again_under_its_name_gets_its_own_age() -> None:
    cache = AgeCache()
    assert cache.age("s", CREATED, CREATED + timedelta(hours=3)) == "3h"
    again = CREATED + timedelta(hours=3)
    assert cache.age("s", again, again + timedelta(seconds=5)) == "5s"
    assert cache.age("s", None, again) == "-"


@pytest.mark.asyncio
async def test_a_relist_redraws_the_changed_cells_on_screen() -> None:
    app = make_app(stores=stores(60))
    async with app.run_test(size=(120, 30)) as pilot:
        table = await table_showing(app, pilot, 60)
        await pilot.press("down", "down")
        names = [f"s{i:03d}" for i in range(10)]
        for shift in (1, 2):
            relist = stores(60, shift)
            app.post_message(StoresChanged(StoreChange("SYNCED", stores=tuple(relist))))
            expected = {store.name: store.phase for store in relist[:10]}
            await settle(pilot, lambda e=expected: phases_on_screen(screen_text(app), names) == e)
        assert table.selected_name == "s002"
        assert str(table.get_cell("s059", "phase")) == relist[59].phase


@pytest.mark.asyncio
async def test_stores_that_come_and_go_keep_the_selection_and_the_order() -> None:
    app = make_app(stores=stores(40))
    async with app.run_test(size=(120, 30)) as pilot:
        table = await table_showing(app, pilot, 40)
        await pilot.press(*["down"] * 5)
        assert table.selected_name == "s005"
        added = Store("s001a", "Pending", "small", created=NOW)
        app.post_message(StoresChanged(StoreChange("ADDED", store=added)))
        app.post_message(StoresChanged(StoreChange("DELETED", store=app.fleet["s003"])))
        await settle(pilot, lambda: table.row_count == 40 and "s003" not in app.fleet)
        order = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert order == sorted(store.name for store in app.fleet.values())
        assert table.selected_name == "s005"
        await drawn(pilot, ["s001a"], ["s003 "])
        # The selected store goes: the cursor goes back to the top, as after a relist.
        app.post_message(StoresChanged(StoreChange("DELETED", store=app.fleet["s005"])))
        await settle(pilot, lambda: table.row_count == 39)
        assert table.selected_name == "s000"
