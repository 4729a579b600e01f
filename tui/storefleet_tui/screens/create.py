"""Create a store: a form built from the store role's argument specs."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Label, Select, Static, Switch

from storefleet_tui.core import argspecs, naming
from storefleet_tui.core.backend import PLAYBOOKS
from storefleet_tui.core.runner import RunRequest
from storefleet_tui.core.secret_guard import SecretExtraVar
from storefleet_tui.screens.base import StorefleetScreen
from storefleet_tui.widgets.common.context_bar import ContextBar
from storefleet_tui.widgets.create.store_name_input import StoreNameInput, StoreNameRules


class CreateScreen(StorefleetScreen[None]):
    CHANGES_CLUSTER = frozenset({"submit"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Create", id="create.submit", tooltip="Create the store"),
        Binding("escape", "back", "Cancel", id="create.back", tooltip="Back without creating"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.form_fields: list[argspecs.FormField] = []
        self.problem = ""
        """Why this checkout cannot build the form (no argument specs, no name rules)."""

    def compose(self) -> ComposeResult:
        repo = self.app.settings.repo
        check: naming.Validator | None = None
        try:
            self.form_fields = argspecs.create_form_fields(repo)
            check = naming.load_validator(repo)
        except (argspecs.ArgumentSpecError, naming.NamingRulesError) as error:
            self.problem = str(error)
        yield ContextBar(readonly=self.app.readonly)
        with VerticalScroll(id="create-form"):
            yield Static("Create a store", classes="section-title")
            if check is None:
                yield Static(
                    f"No store can be created: {self.problem}",
                    id="create-problem",
                    classes="error-text",
                )
            else:
                yield from self._form(check)
        yield Footer()

    def _form(self, check: naming.Validator) -> ComposeResult:
        for field in self.form_fields:
            with Vertical(classes="form-field"):
                yield Label(field.label + (" *" if field.required else ""))
                yield self._widget_for(field, check)
                if field.name == "store_name":
                    yield Static("", id="name-problem", classes="error-text")
                if field.description:
                    yield Static(field.description, classes="hint")
        yield Button("Create", id="create-submit", variant="primary")

    def _widget_for(self, field: argspecs.FormField, check: naming.Validator) -> Widget:
        widget_id = f"field-{field.name}"
        if field.name == "store_name":
            rules = StoreNameRules(check, lambda: set(self.app.fleet))
            return StoreNameInput(rules, id=widget_id)
        if field.type == "bool":
            return Switch(value=bool(field.default), id=widget_id)
        if field.choices:
            options = [(choice, choice) for choice in field.choices]
            default = field.default if field.default in field.choices else field.choices[0]
            return Select(options, value=default, allow_blank=False, id=widget_id)
        value = "" if field.default is None else str(field.default)
        return Input(value=value, id=widget_id, type="integer" if field.type == "int" else "text")

    def on_mount(self) -> None:
        if not self.problem:
            self.query_one(StoreNameInput).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit" and self.problem:
            return False
        return super().check_action(action, parameters)

    def on_input_changed(self, event: Input.Changed) -> None:
        if isinstance(event.input, StoreNameInput):
            self._show_name_problem(
                event.validation_result.failure_descriptions if event.validation_result else []
            )

    def _show_name_problem(self, problems: list[str]) -> None:
        self.query_one("#name-problem", Static).update("; ".join(problems))

    def values(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for field in self.form_fields:
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, (Switch, Select)):
                found[field.name] = widget.value
            elif isinstance(widget, Input):
                if widget.value == "" and not field.required:
                    continue
                found[field.name] = int(widget.value) if field.type == "int" else widget.value
        return found

    # The button and enter go through the action, so the screen's guard decides.
    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "create-submit":
            await self.run_action("submit")

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        await self.run_action("submit")

    def action_submit(self) -> None:
        name_input = self.query_one(StoreNameInput)
        result = name_input.validate(name_input.value)
        if result is not None and not result.is_valid:
            self._show_name_problem(result.failure_descriptions)
            name_input.focus()
            return
        values = self.values()
        try:
            request = RunRequest(
                PLAYBOOKS["create"], values, title=f"create {values['store_name']}"
            )
        except SecretExtraVar as error:
            self.notify(str(error), title="Not created", severity="error", timeout=15)
            return
        self.app.pop_screen()
        self.app.start_run(request)

    def action_back(self) -> None:
        self.app.pop_screen()
