"""Upgrade the selected stores in waves: tags, wave sizes, failures tolerated.

The form checks what it is given with the playbook's own rules (core.fleet_rules) and
starts storefleet.platform.fleet_upgrade limited to the stores by name, reading the
inventory afresh so a store created a moment ago is found.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Footer, Input, Label, Static

from storefleet_tui.core.backend import PLAYBOOKS
from storefleet_tui.core.fleet_rules import (
    FleetRules,
    FleetRulesError,
    FleetUpgrade,
    load_fleet_rules,
)
from storefleet_tui.core.runner import RunRequest
from storefleet_tui.core.secret_guard import SecretExtraVar
from storefleet_tui.screens.base import StorefleetScreen
from storefleet_tui.widgets.common.context_bar import ContextBar

DEFAULT_WAVES = "1,50%,100%"
# (input id, label, default, hint)
FIELDS = (
    ("upgrade-backend-tag", "Backend image tag", "", "Leave empty to keep each store's backend."),
    (
        "upgrade-storefront-tag",
        "Storefront image tag",
        "",
        "Leave empty to keep each store's storefront; give at least one tag.",
    ),
    (
        "upgrade-waves",
        "Waves",
        DEFAULT_WAVES,
        "Store counts and percentages of the selected stores: a canary, then half, then the rest.",
    ),
    (
        "upgrade-max-fail",
        "Failed stores tolerated per wave (%)",
        "0",
        "More failed stores in a wave than this stop the run before the next wave.",
    ),
)


class FleetUpgradeScreen(StorefleetScreen[None]):
    CHANGES_CLUSTER = frozenset({"submit"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Upgrade", id="upgrade.submit", tooltip="Start the upgrade"),
        Binding("escape", "back", "Cancel", id="upgrade.back", tooltip="Back without upgrading"),
    ]

    def __init__(self, stores: tuple[str, ...]) -> None:
        super().__init__()
        self.stores = stores
        self.rules: FleetRules | None = None
        self.problem = ""
        """Why this checkout cannot check a fleet upgrade (no fleet_run.py)."""

    def compose(self) -> ComposeResult:
        try:
            self.rules = load_fleet_rules(self.app.settings.repo)
        except FleetRulesError as error:
            self.problem = str(error)
        yield ContextBar(readonly=self.app.readonly)
        with VerticalScroll(id="upgrade-form"):
            count = len(self.stores)
            yield Static(
                f"Upgrade {count} store{'' if count == 1 else 's'} in waves",
                classes="section-title",
            )
            yield Static(", ".join(self.stores), id="upgrade-stores", classes="hint")
            if self.problem:
                yield Static(
                    f"No fleet upgrade can start: {self.problem}",
                    id="upgrade-problem",
                    classes="error-text",
                )
            else:
                for widget_id, label, default, hint in FIELDS:
                    with Vertical(classes="form-field"):
                        yield Label(label)
                        yield Input(value=default, id=widget_id)
                        yield Static(hint, classes="hint")
                yield Static("", id="upgrade-problems", classes="error-text")
                yield Button("Upgrade", id="upgrade-submit", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        if not self.problem:
            self.query_one("#upgrade-backend-tag", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit" and self.problem:
            return False
        return super().check_action(action, parameters)

    def upgrade(self) -> FleetUpgrade:
        def value(widget_id: str) -> str:
            return self.query_one(f"#{widget_id}", Input).value

        return FleetUpgrade(
            value("upgrade-backend-tag"),
            value("upgrade-storefront-tag"),
            value("upgrade-waves"),
            value("upgrade-max-fail"),
        )

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "upgrade-submit":
            await self.run_action("submit")

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        await self.run_action("submit")

    def action_submit(self) -> None:
        if self.rules is None:
            return
        upgrade = self.upgrade()
        problems = self.rules.problems(upgrade)
        shown = self.query_one("#upgrade-problems", Static)
        if problems:
            shown.update("\n".join(problems))
            return
        shown.update("")
        try:
            request = RunRequest(
                PLAYBOOKS["fleet_upgrade"],
                self.rules.extravars(upgrade),
                title=f"fleet upgrade: {', '.join(self.stores)}",
                limit=self.stores,
                flush_cache=True,
            )
        except SecretExtraVar as error:
            self.notify(str(error), title="Not upgraded", severity="error", timeout=15)
            return
        self.app.pop_screen()
        self.app.start_run(request)

    def action_back(self) -> None:
        self.app.pop_screen()
