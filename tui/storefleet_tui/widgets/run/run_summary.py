"""One line over the run tree: status, live counts, elapsed time."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from storefleet_tui.core.events import RunStatus
from storefleet_tui.session import RunSession
from storefleet_tui.widgets.run.labels import counts_text, seconds

STATUS_STYLES = {
    RunStatus.RUNNING: "bold yellow",
    RunStatus.SUCCESSFUL: "bold green",
    RunStatus.FAILED: "bold red",
    RunStatus.CANCELED: "bold magenta",
}


class RunSummary(Static):
    def show(self, session: RunSession) -> None:
        model = session.model
        text = Text.assemble(
            (model.status.value, STATUS_STYLES[model.status]), "  ", (session.title, "bold"), "  "
        )
        text.append_text(counts_text(model.counts))
        elapsed = model.elapsed
        if elapsed is not None:
            text.append(seconds(elapsed), style="dim")
        if session.error:
            text.append(f"  {session.error}", style="red")
        self.update(text)
