"""Admin credentials: masked until revealed; read from the cluster only on request."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from storefleet_tui.core.stores import Credentials

MASK = "••••••••••••"


class CredentialsView(Static):
    revealed: reactive[bool] = reactive(False)
    """Whether the password is shown in clear."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self._credentials: Credentials | None = None

    def on_mount(self) -> None:
        self._draw()

    def show(self, credentials: Credentials) -> None:
        self._credentials = credentials
        self.revealed = True

    def hide(self) -> None:
        self._credentials = None  # forget them: reveal reads again
        self.revealed = False

    def watch_revealed(self, _: bool) -> None:
        self._draw()

    def _draw(self) -> None:
        text = Text()
        if self.revealed and self._credentials:
            text.append("email     ", style="dim").append(self._credentials.email + "\n")
            text.append("password  ", style="dim").append(self._credentials.password, style="bold")
        else:
            text.append("email     ", style="dim").append(MASK + "\n")
            text.append("password  ", style="dim").append(MASK)
            text.append("   v reveal · y copy", style="dim italic")
        self.update(text)
