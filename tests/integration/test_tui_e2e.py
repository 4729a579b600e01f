"""The TUI end to end: Pilot drives the app on the real LocalBackend, ansible-runner runs
the collection's playbooks against the sandbox, the Store watch feeds the table.

The form's store goes where the sandbox inventory puts stores, the real node, with the
images the project built: Ready in the table means it serves, and the storefront URL the
TUI shows answers through the edge."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from storefleet_sandbox import SandboxClient
from storefleet_tui.app import StorefleetApp
from storefleet_tui.core.backend import LocalBackend
from storefleet_tui.core.settings import load
from storefleet_tui.screens.create import CreateScreen
from storefleet_tui.screens.delete_confirm import DeleteConfirmScreen
from storefleet_tui.screens.run import RunScreen
from storefleet_tui.screens.store_detail import StoreDetailScreen
from storefleet_tui.screens.stores import StoresScreen
from storefleet_tui.session import RunSession
from storefleet_tui.widgets.detail.credentials import CredentialsView
from storefleet_tui.widgets.fleet.store_table import StoreTable
from storefleet_tui.widgets.run.run_tree import RunTree
from tests.integration.ansible_run import PLATFORM_NAMESPACE, kubectl_json, store
from tests.integration.real_store import Edge, build_images
from tests.integration.test_platform_playbook import ensure_platform
from tests.unit.tui.driving import screen_text, settle
from tests.unit.tui.recorded import REPO

pytestmark = [pytest.mark.sandbox, pytest.mark.slow, pytest.mark.asyncio]

NAME = "tuishop"
SIZE = (120, 36)
# A store on the real node is Ready in about four minutes; generous for a shared CPU.
RUN_SECONDS = 900.0
CAP_QUOTA = "storefleet-store-cap"


@pytest.fixture(scope="module")
def platform(sandbox: SandboxClient) -> SandboxClient:
    ensure_platform(sandbox)
    return sandbox


@pytest.fixture
def tui(platform: SandboxClient, tmp_path: Path) -> Iterator[StorefleetApp]:
    """The app as `storefleet -i sandbox` builds it, pointed at the test's sandbox."""
    saved = dict(os.environ)
    # The runner inherits PATH (helm, kubectl) and the reader the kubeconfig from here.
    os.environ.update({**platform.env(), "STOREFLEET_KUBECONFIG": str(platform.kubeconfig)})
    settings = load(
        Path("/nonexistent/settings.yaml"),
        environ={},
        repo=REPO,
        inventory="sandbox",
        artifacts_dir=tmp_path / "state" / "runs",
        kubeconfig=platform.kubeconfig,
    )
    try:
        yield StorefleetApp(settings, LocalBackend(settings))
    finally:
        os.environ.clear()
        os.environ.update(saved)


def secret_values(sandbox: SandboxClient, name: str) -> dict[str, str]:
    secret = kubectl_json(sandbox, "-n", f"store-{name}", "get", "secret", "store-credentials")
    return {key: base64.b64decode(value).decode() for key, value in secret["data"].items()}


def phase_in_table(app: StorefleetApp, name: str) -> str | None:
    table = app.screen.query_one(StoreTable)
    if name not in table.rows:
        return None
    return str(table.get_cell(name, "phase"))


def tree_task_count(app: StorefleetApp) -> int:
    return app.screen.query_one(RunTree).task_count


async def create_through_the_form(pilot: Pilot[None], name: str) -> RunSession:
    app = pilot.app
    assert isinstance(app, StorefleetApp)
    await pilot.press("c")
    await settle(pilot, lambda: isinstance(app.screen, CreateScreen))
    await pilot.press(*name)
    await pilot.press("ctrl+s")
    await settle(pilot, lambda: isinstance(app.screen, RunScreen))
    screen = app.screen
    assert isinstance(screen, RunScreen)
    return screen.session


@pytest.mark.real_node
@pytest.mark.timeout(3600)
async def test_create_watch_reveal_and_delete_a_store(
    tui: StorefleetApp, platform: SandboxClient, tmp_path: Path
) -> None:
    build_images(platform, tmp_path / "images")  # cached: the registry has them already
    app = tui
    screens: list[str] = []  # everything shown before the reveal
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.fleet_synced, timeout=60)
        assert "sandbox · storefleet-sandbox" in screen_text(app)
        assert phase_in_table(app, NAME) is None
        # The banner says which node serves: the sandbox's real one, beside kwok's.
        await settle(pilot, lambda: app.cluster_nodes is not None, timeout=30)
        assert "Real node sandbox-real-1 serves stores." in screen_text(app)

        session = await create_through_the_form(pilot, NAME)

        # Live: the tree gains tasks while the playbook is still running.
        await settle(pilot, lambda: tree_task_count(app) >= 3 and not session.finished, RUN_SECONDS)
        first = tree_task_count(app)
        screens.append(screen_text(app))
        await settle(
            pilot,
            lambda: tree_task_count(app) > first or session.finished,
            RUN_SECONDS,
        )
        later = tree_task_count(app)
        assert later > first and not session.finished, (
            f"no task arrived while running ({first} then {later})"
        )
        assert "running" in screen_text(app)

        # Back to the fleet while it runs: the watch, not a key, brings it to Ready.
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, StoresScreen))
        phases: set[str] = set()

        def ready() -> bool:
            phase = phase_in_table(app, NAME)
            if phase:
                phases.add(phase)
            return phase == "Ready"

        await settle(pilot, ready, RUN_SECONDS)
        assert phases & {"Pending", "Provisioning"}, f"the table saw only {phases}"
        await settle(pilot, lambda: session.finished, RUN_SECONDS)
        assert session.model.status.value == "successful", session.model.failures()
        screens.append(screen_text(app))

        # Detail: masked until revealed; the reveal shows what the Secret holds.
        await pilot.press("slash", *NAME, "enter", "enter")
        await settle(pilot, lambda: isinstance(app.screen, StoreDetailScreen))
        detail = app.screen
        assert isinstance(detail, StoreDetailScreen)
        await settle(pilot, lambda: detail.details is not None, 30)
        await pilot.pause(0.2)
        screens.append(screen_text(app))
        edge = Edge(NAME)
        assert edge.origin in screen_text(app), "the detail shows no storefront URL"
        status, page = edge.page("/")
        assert status == 200 and "<html" in page.lower(), (status, page[:300])
        secrets = secret_values(platform, NAME)
        generated = [value for value in secrets.values() if len(value) >= 12 and "@" not in value]
        assert len(generated) >= 4, secrets.keys()
        for text in screens:
            for value in generated:
                assert value not in text, "a generated secret was on screen before the reveal"

        await pilot.press("v")
        view = detail.query_one(CredentialsView)
        await settle(pilot, lambda: view.revealed, 30)
        await pilot.pause(0.1)
        shown = screen_text(app)
        assert secrets["admin-password"] in shown
        assert secrets["admin-email"] in shown

        # No generated value in anything the run left behind.
        state = tmp_path / "state"
        files = [path for path in state.rglob("*") if path.is_file()]
        assert any(path.name == "stdout" for path in files), "the run left no artifacts"
        for path in files:
            content = path.read_bytes()
            for value in generated:
                assert value.encode() not in content, f"{path} holds a generated secret"

        # Delete: confirm by typing the name; the row goes away through the watch.
        await pilot.press("ctrl+d")
        await settle(pilot, lambda: isinstance(app.screen, DeleteConfirmScreen))
        await pilot.press(*NAME, "enter")
        await settle(pilot, lambda: isinstance(app.screen, RunScreen))
        assert isinstance(app.screen, RunScreen)
        deleting = app.screen.session
        await pilot.press("escape", "escape")
        await settle(pilot, lambda: isinstance(app.screen, StoresScreen))
        await settle(pilot, lambda: deleting.finished, RUN_SECONDS)
        assert deleting.model.status.value == "successful", deleting.model.failures()
        await settle(pilot, lambda: phase_in_table(app, NAME) is None, 30)
        assert NAME not in app.fleet
    assert store(platform, NAME) is None


def fill_store_cap(sandbox: SandboxClient) -> list[str]:
    """Store objects (no namespace, no release) until the cap's quota is used up."""
    quota = kubectl_json(sandbox, "-n", PLATFORM_NAMESPACE, "get", "resourcequota", CAP_QUOTA)
    key = "count/stores.storefleet.io"
    free = int(quota["spec"]["hard"][key]) - int(
        quota.get("status", {}).get("used", {}).get(key, 0)
    )
    names = [f"capfill{i}" for i in range(max(free, 0))]
    for name in names:
        filler = {
            "apiVersion": "storefleet.io/v1alpha1",
            "kind": "Store",
            "metadata": {"name": name, "namespace": PLATFORM_NAMESPACE},
            "spec": {"engine": "medusa", "plan": "small", "seedDemoData": False},
        }
        sandbox.kubectl("apply", "-f", "-", input_text=json.dumps(filler))
    return names


async def test_refused_create_shows_the_failing_task_and_its_message(
    tui: StorefleetApp, platform: SandboxClient
) -> None:
    app = tui
    fillers = fill_store_cap(platform)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, lambda: app.fleet_synced, timeout=60)
            session = await create_through_the_form(pilot, "overcap")
            await settle(pilot, lambda: session.finished, RUN_SECONDS)
            await pilot.pause(0.3)  # the run screen redraws on its timer
            assert session.model.status.value == "failed"
            refused = [f for f in session.model.failures() if "Store cap reached" in f.message]
            assert refused, session.model.failures()
            text = screen_text(app)
            assert "FAILED" in text and refused[0].task in text
            assert "Store cap reached" in text
    finally:
        for name in fillers:
            platform.kubectl(
                "-n", PLATFORM_NAMESPACE, "delete", "store", name, "--ignore-not-found"
            )
    assert store(platform, "overcap") is None
