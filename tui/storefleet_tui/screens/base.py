"""What every full screen shares: the app as its own type, and the readonly guard."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import getters
from textual.screen import Screen

from storefleet_tui.app import StorefleetApp

ResultType = TypeVar("ResultType")


class StorefleetScreen(Screen[ResultType]):
    """A screen of `StorefleetApp`.

    `self.app` is typed as the Storefleet app (checked when read). The actions named in
    `CHANGES_CLUSTER` are the readonly guard: in readonly mode they are hidden from the
    footer and the help, and refused whether they come from a key or the command palette.
    """

    app = getters.app(StorefleetApp)

    CHANGES_CLUSTER: ClassVar[frozenset[str]] = frozenset()
    """Actions that change the cluster: off in readonly mode."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in self.CHANGES_CLUSTER and self.app.readonly)
