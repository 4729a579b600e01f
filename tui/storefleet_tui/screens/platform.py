"""The platform: set it up (site.yml) or tear it down (teardown.yml), with live events."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, Static

from storefleet_tui.core.backend import PLAYBOOKS
from storefleet_tui.core.runner import RunRequest
from storefleet_tui.screens.base import StorefleetScreen
from storefleet_tui.widgets.common.context_bar import ContextBar


class PlatformScreen(StorefleetScreen[None]):
    CHANGES_CLUSTER = frozenset({"set_up", "tear_down"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="platform.back", tooltip="Back to the stores"),
        Binding(
            "s",
            "set_up",
            "Set up",
            id="platform.set_up",
            tooltip="Run site.yml: cluster, images, Argo, platform",
        ),
        Binding("t", "tear_down", "Tear down", id="platform.tear_down", tooltip="Run teardown.yml"),
    ]

    def compose(self) -> ComposeResult:
        yield ContextBar(readonly=self.app.readonly)
        with Vertical(id="detail-body"):
            yield Static("Platform", classes="section-title")
            yield Static(
                "s  set up: cluster, registry, ingress, images, Argo Workflows,"
                " the Store CRD and RBAC\n"
                "t  tear down: remove the platform and every store on it",
                id="platform-actions",
            )
            yield Static(
                "Readonly: both are off." if self.app.readonly else "",
                classes="hint",
            )
        yield Footer()

    def action_set_up(self) -> None:
        self.app.start_run(RunRequest(PLAYBOOKS["site"], title="platform set up"))

    def action_tear_down(self) -> None:
        from storefleet_tui.screens.confirm import ConfirmScreen

        def decided(yes: bool | None) -> None:
            if yes:
                self.app.start_run(RunRequest(PLAYBOOKS["teardown"], title="platform tear down"))

        self.app.push_screen(
            ConfirmScreen("Tear the platform down?", "Every store on it goes too."), decided
        )

    def action_back(self) -> None:
        self.app.pop_screen()
