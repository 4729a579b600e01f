"""Pilot tests of the store detail: masked credentials, reveal, copy, rollback, delete."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from storefleet_tui.app import StorefleetApp
from storefleet_tui.screens.confirm import ConfirmScreen
from storefleet_tui.screens.delete_confirm import DeleteConfirmScreen
from storefleet_tui.screens.run import RunScreen
from storefleet_tui.screens.store_detail import StoreDetailScreen
from storefleet_tui.widgets.detail.credentials import CredentialsView
from tests.unit.tui.driving import screen_text, settle
from tests.unit.tui.entry import make_app
from tests.unit.tui.recorded import SECRET_PASSWORD

pytestmark = pytest.mark.asyncio


async def open_detail(
    pilot: Pilot[None], app: StorefleetApp, name: str = "acme"
) -> StoreDetailScreen:
    await settle(pilot, lambda: app.fleet_synced)
    app.screen.open_store(name)
    await settle(
        pilot, lambda: isinstance(app.screen, StoreDetailScreen) and app.screen.details is not None
    )
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, StoreDetailScreen)
    return screen


async def test_detail_shows_urls_pods_quota_history_and_workflow() -> None:
    app = make_app()
    async with app.run_test(size=(120, 60)) as pilot:
        await open_detail(pilot, app)
        text = screen_text(app)
        for expected in (
            "http://api.acme.sandbox.127.0.0.1.nip.io/app",
            "acme-store-postgresql-0",
            "limits.memory",
            "superseded",
            "workflow store-provision-acme-x7k2p",
        ):
            assert expected in text


async def test_credentials_stay_masked_and_unread_until_revealed() -> None:
    app = make_app()
    async with app.run_test(size=(120, 60)) as pilot:
        screen = await open_detail(pilot, app)
        assert SECRET_PASSWORD not in screen_text(app)
        assert app.backend.credentials_read == 0
        await pilot.press("v")
        view = screen.query_one(CredentialsView)
        await settle(pilot, lambda: view.revealed)
        assert SECRET_PASSWORD in screen_text(app)
        await pilot.press("v")
        await pilot.pause()
        assert SECRET_PASSWORD not in screen_text(app)


async def test_copy_puts_the_password_on_the_clipboard_not_on_screen() -> None:
    app = make_app()
    async with app.run_test(size=(120, 60)) as pilot:
        await open_detail(pilot, app)
        await pilot.press("y")
        await settle(pilot, lambda: app.clipboard == SECRET_PASSWORD)
        assert SECRET_PASSWORD not in screen_text(app)


async def test_rollback_asks_then_runs_store_rollback_with_the_revision() -> None:
    app = make_app()
    async with app.run_test(size=(120, 60)) as pilot:
        screen = await open_detail(pilot, app)
        helm = screen.query_one("#detail-helm")
        helm.focus()
        helm.move_cursor(row=1)
        await pilot.press("b")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await settle(
            pilot, lambda: isinstance(app.screen, RunScreen) and bool(app.backend.launched)
        )
        request = app.backend.launched[0]
        assert request.playbook == "storefleet.platform.store_rollback"
        assert request.extravars == {"store_name": "acme", "store_rollback_revision": 1}


async def test_delete_needs_the_exact_store_name() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_detail(pilot, app)
        await pilot.press("ctrl+d")
        await settle(pilot, lambda: isinstance(app.screen, DeleteConfirmScreen))
        button = app.screen.query_one("#delete-confirm")
        await pilot.press("a", "c", "m")
        await pilot.pause()
        assert button.disabled
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DeleteConfirmScreen)
        await pilot.press("e")
        await pilot.pause()
        assert not button.disabled
        await pilot.press("enter")
        await settle(pilot, lambda: bool(app.backend.launched))
        assert app.backend.launched[0].playbook == "storefleet.platform.store_delete"
        assert app.backend.launched[0].extravars == {"store_name": "acme"}


async def test_escape_keeps_the_store() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_detail(pilot, app)
        await pilot.press("ctrl+d")
        await settle(pilot, lambda: isinstance(app.screen, DeleteConfirmScreen))
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, StoreDetailScreen))
        assert app.backend.launched == []
