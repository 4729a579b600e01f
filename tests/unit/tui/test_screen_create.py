"""Pilot tests of the create form: validation as you type, what gets launched."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import Input, Static

from storefleet_tui.app import StorefleetApp
from storefleet_tui.screens.create import CreateScreen
from storefleet_tui.screens.run import RunScreen
from storefleet_tui.widgets.create.store_name_input import StoreNameInput
from tests.unit.tui.driving import drawn, mounted, screen_text, settle
from tests.unit.tui.entry import form_repo, make_app

pytestmark = pytest.mark.asyncio


async def open_form(pilot: Pilot[None], app: StorefleetApp) -> CreateScreen:
    await settle(pilot, lambda: app.fleet_synced)
    await pilot.press("c")
    await settle(pilot, lambda: mounted(app, CreateScreen, "#create-form"))
    screen = app.screen
    assert isinstance(screen, CreateScreen)
    names = screen.query(StoreNameInput)
    await settle(pilot, lambda: not names or names.first().has_focus)
    return screen


async def test_name_is_checked_as_you_type_and_bad_input_launches_nothing() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form(pilot, app)
        await pilot.press("M", "y", "_")
        await drawn(pilot, ["has uppercase letters"])
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CreateScreen)
        assert app.backend.launched == []


async def test_an_existing_store_name_is_refused() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form(pilot, app)
        await pilot.press("a", "c", "m", "e")
        await drawn(pilot, ["a store named 'acme' already exists"])


async def test_valid_form_runs_store_create_with_the_form_values() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(pilot, app)
        form.query_one("#field-store_plan").value = "medium"
        form.query_one("#field-store_seed_demo_data").value = False
        await pilot.press("d", "e", "m", "o", "enter")
        await settle(pilot, lambda: isinstance(app.screen, RunScreen))
        await settle(pilot, lambda: bool(app.backend.launched))
        request = app.backend.launched[0]
        assert request.playbook == "storefleet.platform.store_create"
        assert request.extravars == {
            "store_name": "demo",
            "store_plan": "medium",
            "store_seed_demo_data": False,
            "store_orchestrator": "direct",
        }


async def test_a_checkout_without_the_name_rules_says_so_and_creates_nothing(
    tmp_path: Path,
) -> None:
    repo = form_repo(tmp_path)
    (repo / "plugins" / "module_utils" / "naming.py").unlink()
    app = make_app(repo=repo)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form(pilot, app)
        await settle(pilot, lambda: "cannot load the store name rules" in screen_text(app))
        text = screen_text(app)
        # The widget's own text: the rendered line wraps where the temporary path ends.
        problem = str(app.screen.query_one("#create-problem", Static).render())
        assert "naming.py does not exist" in problem
        assert not app.screen.query(StoreNameInput)
        assert "^s Create" not in text
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.backend.launched == []


async def test_a_value_that_looks_like_a_key_is_refused_and_not_shown(tmp_path: Path) -> None:
    repo = form_repo(tmp_path)
    spec_file = repo / "roles" / "store" / "meta" / "argument_specs.yml"
    spec = yaml.safe_load(spec_file.read_text())
    options = spec["argument_specs"]["main"]["options"]
    options["store_contact"] = {"type": "str", "required": True, "description": "Who to call."}
    spec_file.write_text(yaml.safe_dump(spec))
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"
    app = make_app(repo=repo)
    seen: list[Message] = []
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        form = await open_form(pilot, app)
        form.query_one("#field-store_contact", Input).value = token
        await pilot.press(*"demo")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: any(isinstance(m, Notify) for m in seen))
        [told] = [m.notification.message for m in seen if isinstance(m, Notify)]
        assert "extra var 'store_contact' looks secret (its value looks like a JWT)" in told
        assert token not in told
        assert isinstance(app.screen, CreateScreen)
        assert app.backend.launched == []
