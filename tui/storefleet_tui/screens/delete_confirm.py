"""Delete a store: the user types the store's name to confirm."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from storefleet_tui.app import StorefleetApp
from storefleet_tui.core.backend import PLAYBOOKS
from storefleet_tui.core.runner import RunRequest


class DeleteConfirmScreen(ModalScreen[bool]):
    """Dismisses with True only once the typed text equals the store name."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "cancel",
            "Keep the store",
            id="delete.cancel",
            tooltip="Back, nothing deleted",
        ),
    ]

    def __init__(self, store_name: str) -> None:
        super().__init__()
        self.store_name = store_name

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(f"Delete store [b]{self.store_name}[/b]?", classes="section-title")
            yield Static(
                f"This removes namespace store-{self.store_name}: its database, files and"
                " secrets.\n"
                "Type the store name to confirm.",
                classes="hint",
            )
            yield Input(placeholder=self.store_name, id="delete-name")
            with Horizontal():
                yield Button("Delete", id="delete-confirm", variant="error", disabled=True)
                yield Button("Keep", id="delete-keep")

    def on_mount(self) -> None:
        self.query_one("#delete-name", Input).focus()

    @property
    def confirmed(self) -> bool:
        return self.query_one("#delete-name", Input).value == self.store_name

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#delete-confirm", Button).disabled = not self.confirmed

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.confirmed:
            self.dismiss(True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "delete-confirm" and self.confirmed:
            self.dismiss(True)
        elif event.button.id == "delete-keep":
            self.dismiss(False)

    def action_cancel(self) -> None:
        self.dismiss(False)


def confirm_and_delete(app: StorefleetApp, name: str) -> None:
    """Ask, then run store_delete for `name` (a screen's `delete` action, off in readonly)."""

    def decided(confirmed: bool | None) -> None:
        if confirmed:
            app.start_run(
                RunRequest(PLAYBOOKS["delete"], {"store_name": name}, title=f"delete {name}")
            )

    app.push_screen(DeleteConfirmScreen(name), decided)
