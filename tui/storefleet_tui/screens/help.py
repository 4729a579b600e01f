"""`?`: the keys of the screen underneath, and the keys that work everywhere."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

GLOBAL_KEYS = (
    ("?", "this help"),
    (": or ctrl+p", "command palette: stores, create, platform, runs, open a store…"),
    ("/", "filter the stores table"),
    ("esc", "back"),
    ("ctrl+d", "delete the selected store (asks for its name)"),
    ("ctrl+q", "quit"),
)


def key_display(key: str) -> str:
    return {"slash": "/", "question_mark": "?", "colon": ":", "escape": "esc"}.get(key, key)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,question_mark,q", "close", "Close", id="help.close", tooltip="Close the help"
        ),
    ]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog"):
            yield Static(self._keys_table(), id="help-keys")

    def _keys_table(self) -> Table:
        table = Table(title="storefleet keys", expand=True, show_edge=False)
        table.add_column("Key", style="bold cyan", no_wrap=True)
        table.add_column("Does")
        table.add_section()
        for binding in self.under.BINDINGS:
            if not isinstance(binding, Binding):
                continue
            # What the footer hides (readonly, a finished run) is not offered here either.
            if self.under.check_action(binding.action, ()) is False:
                continue
            table.add_row(key_display(binding.key), binding.tooltip or binding.description)
        table.add_section()
        for key, does in GLOBAL_KEYS:
            table.add_row(key, does)
        return table

    def action_close(self) -> None:
        self.dismiss(None)
