"""One store: URLs, masked admin credentials, pods, quota use, Helm history, workflow."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Static

from storefleet_tui.core.backend import PLAYBOOKS, ROLLBACK_REVISION_VAR
from storefleet_tui.core.runner import RunRequest
from storefleet_tui.core.stores import Credentials, StoreDetails
from storefleet_tui.screens.base import StorefleetScreen
from storefleet_tui.widgets.common.context_bar import ContextBar
from storefleet_tui.widgets.detail.credentials import CredentialsView
from storefleet_tui.widgets.detail.workflow_dag import WorkflowDag
from storefleet_tui.widgets.fleet.phase import phase_text


class StoreDetailScreen(StorefleetScreen[None]):
    CHANGES_CLUSTER = frozenset({"delete", "rollback"})
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="detail.back", tooltip="Back to the stores"),
        Binding(
            "v",
            "reveal",
            "Reveal",
            id="detail.reveal",
            tooltip="Show or hide the admin credentials",
        ),
        Binding(
            "y",
            "copy",
            "Copy password",
            id="detail.copy",
            tooltip="Copy the admin password to the clipboard",
        ),
        Binding("f5", "reload", "Reload", id="detail.reload", tooltip="Read the store again"),
        Binding(
            "b",
            "rollback",
            "Roll back",
            id="detail.rollback",
            tooltip="Roll back to the selected Helm revision",
        ),
        Binding("ctrl+d", "delete", "Delete", id="detail.delete", tooltip="Delete this store"),
    ]

    def __init__(self, store_name: str) -> None:
        super().__init__()
        self.store_name = store_name
        self.details: StoreDetails | None = None
        self._seen_version = ""

    def compose(self) -> ComposeResult:
        yield ContextBar(readonly=self.app.readonly)
        with VerticalScroll(id="detail-body"):
            yield Static(self.store_name, id="detail-title", classes="section-title")
            yield Static("Reading…", id="detail-urls")
            yield Static("Admin", classes="section-title")
            yield CredentialsView(id="detail-credentials")
            yield Static("Pods", classes="section-title")
            yield DataTable(id="detail-pods", cursor_type="none")
            yield Static("Quota", classes="section-title")
            yield DataTable(id="detail-quota", cursor_type="none")
            yield Static("Helm history", classes="section-title")
            yield DataTable(id="detail-helm", cursor_type="row")
            yield Static("Workflow", classes="section-title", id="detail-workflow-title")
            yield WorkflowDag("workflow", id="detail-workflow")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#detail-pods", DataTable).add_columns("Pod", "Phase", "Ready", "Restarts")
        self.query_one("#detail-quota", DataTable).add_columns("Resource", "Used", "Hard")
        self.query_one("#detail-helm", DataTable).add_columns(
            "Revision", "Status", "Chart", "App", "Updated", "Description"
        )
        self.watch(self.app, "fleet_version", self._store_changed, init=False)
        self.load()

    def _store_changed(self, _: object = None) -> None:
        store = self.app.fleet.get(self.store_name)
        if store is not None and store.resource_version != self._seen_version:
            self.load()

    @work(thread=True, exclusive=True, group="detail")
    def load(self) -> None:
        try:
            details = self.app.backend.store_details(self.store_name)
        except Exception as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self.show, details)

    def _failed(self, reason: str) -> None:
        self.query_one("#detail-urls", Static).update(
            Text(f"Cannot read store {self.store_name}: {reason}", style="red")
        )

    def show(self, details: StoreDetails) -> None:
        self.details = details
        store = details.store
        self._seen_version = store.resource_version
        title = Text.assemble(
            (store.name, "bold"),
            "  ",
            phase_text(store.phase),
            ("  plan ", "dim"),
            store.plan or "-",
        )
        self.query_one("#detail-title", Static).update(title)
        urls = Text()
        for key in ("storefront", "api", "admin"):
            urls.append(f"{key:<11}", style="dim").append((store.urls.get(key) or "-") + "\n")
        if store.message:
            urls.append(store.message, style="red" if store.phase == "Failed" else "")
        for problem in details.problems:
            urls.append(f"\n{problem}", style="yellow")
        self.query_one("#detail-urls", Static).update(urls)
        pods = self.query_one("#detail-pods", DataTable)
        pods.clear()
        pods.add_rows((p.name, p.phase, p.ready, str(p.restarts)) for p in details.pods)
        quota = self.query_one("#detail-quota", DataTable)
        quota.clear()
        quota.add_rows((q.resource, q.used, q.hard) for q in details.quota)
        helm = self.query_one("#detail-helm", DataTable)
        helm.clear()
        for r in details.helm_history:
            helm.add_row(
                str(r.revision),
                r.status,
                r.chart,
                r.app_version,
                r.updated,
                r.description,
                key=str(r.revision),
            )
        has_workflow = bool(details.workflow_nodes)
        self.query_one("#detail-workflow-title").display = has_workflow
        dag = self.query_one(WorkflowDag)
        dag.display = has_workflow
        if has_workflow:
            dag.show(details.workflow, details.workflow_nodes)

    # -- credentials ---------------------------------------------------------------

    def action_reveal(self) -> None:
        view = self.query_one(CredentialsView)
        if view.revealed:
            view.hide()
        else:
            self._read_credentials(copy=False)

    def action_copy(self) -> None:
        self._read_credentials(copy=True)

    @work(thread=True, exclusive=True, group="credentials")
    def _read_credentials(self, copy: bool) -> None:
        try:
            credentials = self.app.backend.credentials(self.store_name)
        except Exception as error:
            self.app.call_from_thread(
                self.notify, f"No credentials yet: {error}", severity="warning"
            )
            return
        self.app.call_from_thread(self._got_credentials, credentials, copy)

    def _got_credentials(self, credentials: Credentials, copy: bool) -> None:
        if copy:
            self.app.copy_to_clipboard(credentials.password)
            self.notify("Admin password copied to the clipboard.")
        else:
            self.query_one(CredentialsView).show(credentials)

    # -- actions -------------------------------------------------------------------

    def action_reload(self) -> None:
        self.load()

    def action_rollback(self) -> None:
        from storefleet_tui.screens.confirm import ConfirmScreen

        helm = self.query_one("#detail-helm", DataTable)
        if not helm.row_count or self.details is None:
            self.notify("No Helm history to roll back to.", severity="warning")
            return
        revision = int(helm.coordinate_to_cell_key(helm.cursor_coordinate).row_key.value or 0)
        current = self.details.helm_history[0].revision if self.details.helm_history else 0
        if revision == current:
            self.notify("Select an earlier revision in the Helm history first.", severity="warning")
            return

        def decided(yes: bool | None) -> None:
            if yes:
                extravars = {"store_name": self.store_name, ROLLBACK_REVISION_VAR: revision}
                self.app.start_run(
                    RunRequest(
                        PLAYBOOKS["rollback"],
                        extravars,
                        title=f"roll back {self.store_name} to {revision}",
                    )
                )

        self.app.push_screen(
            ConfirmScreen(f"Roll back {self.store_name} to revision {revision}?"), decided
        )

    def action_delete(self) -> None:
        from storefleet_tui.screens.delete_confirm import confirm_and_delete

        confirm_and_delete(self.app, self.store_name)

    def action_back(self) -> None:
        self.app.pop_screen()
