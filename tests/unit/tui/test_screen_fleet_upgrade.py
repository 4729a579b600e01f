"""Pilot tests of the fleet upgrade: selecting stores with space, the form refusing what
the playbook would refuse, the run it starts, and its waves on a recorded stream."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from storefleet_tui.app import StorefleetApp
from storefleet_tui.screens.fleet_upgrade import FleetUpgradeScreen
from storefleet_tui.screens.run import RunScreen
from storefleet_tui.widgets.fleet.store_table import StoreTable
from storefleet_tui.widgets.run.fleet_waves import FleetWaves
from tests.unit.tui.driving import drawn, mounted, screen_text, settle
from tests.unit.tui.entry import make_app

pytestmark = pytest.mark.asyncio


async def selected_with_space(pilot: Pilot[None], app: StorefleetApp) -> StoreTable:
    """acme and crumb selected: space on the first row, down twice, space."""
    await settle(pilot, lambda: app.fleet_synced)
    table = app.screen.query_one(StoreTable)
    await pilot.press("space", "down", "down", "space")
    await settle(pilot, lambda: len(table.selection) == 2)
    return table


async def open_form(pilot: Pilot[None], app: StorefleetApp) -> FleetUpgradeScreen:
    await pilot.press("u")
    await settle(pilot, lambda: mounted(app, FleetUpgradeScreen, "#upgrade-backend-tag"))
    screen = app.screen
    assert isinstance(screen, FleetUpgradeScreen)
    return screen


def fill(form: FleetUpgradeScreen, **values: str) -> None:
    for field, value in values.items():
        form.query_one(f"#upgrade-{field.replace('_', '-')}", Input).value = value


async def test_space_selects_and_unselects_and_escape_clears() -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        table = await selected_with_space(pilot, app)
        assert table.selection == {"acme", "crumb"}
        await drawn(pilot, ["3 stores", "2 selected"])
        await pilot.press("space")  # crumb again
        await settle(pilot, lambda: table.selection == {"acme"})
        await pilot.press("escape")
        await settle(pilot, lambda: not table.selection)
        assert "selected (u" not in screen_text(app)


async def test_selected_rows_are_styled_and_others_are_not() -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        table = await selected_with_space(pilot, app)
        mark = table.get_component_rich_style("storetable--selected")
        assert mark.bgcolor is not None and mark.bold

        def background(row: int) -> object:
            return table._get_row_style(row, table.rich_style).bgcolor

        assert [background(row) == mark.bgcolor for row in range(3)] == [True, False, True]


async def test_selection_survives_a_filter_and_drops_a_store_that_vanishes() -> None:
    from storefleet_tui.core.stores import StoreChange
    from storefleet_tui.messages import StoresChanged

    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        table = await selected_with_space(pilot, app)
        await pilot.press("slash", *"bolt", "enter")
        await settle(pilot, lambda: table.row_count == 1)
        assert table.selection == {"acme", "crumb"}
        app.post_message(StoresChanged(StoreChange("DELETED", store=app.fleet["crumb"])))
        await settle(pilot, lambda: "crumb" not in app.fleet)
        await settle(pilot, lambda: table.selection == {"acme"})


async def test_bad_waves_and_tags_are_refused_inline_and_nothing_runs() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await selected_with_space(pilot, app)
        form = await open_form(pilot, app)
        fill(form, waves="0,150%", max_fail="101")
        await pilot.press("ctrl+s")
        await drawn(pilot, ["no image tag given", "is not a count of at least 1"])
        assert "fleet_max_fail_percentage must be a whole number from 0 to 100" in screen_text(app)
        fill(form, backend_tag="bad tag;rm", waves="1,50%", max_fail="0")
        await pilot.press("ctrl+s")
        await drawn(pilot, ["'bad tag;rm' is not a tag"], hidden=["no image tag given"])
        assert isinstance(app.screen, FleetUpgradeScreen)
        assert app.backend.launched == []


async def test_upgrade_runs_fleet_upgrade_on_the_selected_stores_and_shows_the_waves() -> None:
    app = make_app(stream="fleet_upgrade_run.jsonl")
    async with app.run_test(size=(120, 40)) as pilot:
        await selected_with_space(pilot, app)
        form = await open_form(pilot, app)
        assert "acme, crumb" in screen_text(app)
        fill(form, backend_tag="0.2.0", waves="1, 50%, 100%", max_fail="0")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, RunScreen))
        [request] = app.backend.launched
        assert request.playbook == "storefleet.platform.fleet_upgrade"
        assert request.limit == ("acme", "crumb")
        assert request.flush_cache
        assert request.extravars == {
            "store_backend_image_tag": "0.2.0",
            "fleet_waves": [1, "50%", "100%"],
            "fleet_max_fail_percentage": 0,
        }
        # The recorded stream is of alpha..delta: the stores the run reports are listed.
        panel = app.screen.query_one(FleetWaves)
        await settle(pilot, lambda: "not run" in str(panel.render()))
        shown = str(panel.render())
        assert "wave 1  alpha passed" in shown
        assert "wave 2  bravo failed gate smoke-check → rolled back  charlie passed" in shown
        assert (
            "Store bravo failed gate 'smoke-check': The storefront of bravo answered 503 "
            "(expected 200). It was rolled back to revision 3 and is Ready." in shown
        )


async def test_u_without_a_selection_upgrades_the_highlighted_store() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        await pilot.press("down")
        form = await open_form(pilot, app)
        assert form.stores == ("bolt",)


async def test_readonly_offers_no_upgrade() -> None:
    app = make_app(readonly=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        assert "Upgrade selected" not in screen_text(app)
        await pilot.press("space", "u")
        await pilot.pause()
        assert type(app.screen).__name__ == "StoresScreen"
        assert app.backend.launched == []


async def test_space_and_u_typed_in_the_filter_stay_in_the_filter() -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, lambda: app.fleet_synced)
        await pilot.press("slash", "c", "r", "u", "space")
        await settle(pilot, lambda: getattr(app.screen, "filter_text", "") == "cru ")
        assert type(app.screen).__name__ == "StoresScreen"
        assert not app.screen.query_one(StoreTable).selection
