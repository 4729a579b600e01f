"""Session fixtures: PostgreSQL, Redis, one bootstrapped store running
(server, worker, storefront) and headless Chromium driven by Playwright."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.browser import PATIENCE_MS, launch_chromium
from tests.e2e.services import (
    ManagedProcess,
    Postgres,
    Redis,
    Store,
    backend_command,
    require_builds,
    start_backend,
    start_storefront,
    stop_on_sigterm,
    wait_for_http,
)

ARTIFACTS = Path(__file__).parent / "artifacts"


@dataclass
class RunningStore:
    store: Store
    first_bootstrap: dict
    server: ManagedProcess
    worker: ManagedProcess
    storefront: ManagedProcess


@pytest.fixture(scope="session")
def log_dir() -> Path:
    stop_on_sigterm()
    logs = ARTIFACTS / "logs"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    return logs


@pytest.fixture(scope="session")
def postgres(log_dir: Path) -> Iterator[Postgres]:
    require_builds()
    server = Postgres(log_dir)
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redis(log_dir: Path) -> Iterator[Redis]:
    server = Redis(log_dir)
    try:
        yield server.start()
    finally:
        server.stop()


def new_store(name: str, postgres: Postgres, redis: Redis, redis_db: int) -> Store:
    # Each store has its own database and its own Redis database index.
    return Store(name, postgres.url(f"store_{name}"), f"{redis.url}/{redis_db}")


@pytest.fixture(scope="session")
def store(postgres: Postgres, redis: Redis, log_dir: Path) -> Iterator[RunningStore]:
    """Store "alpha", provisioned the way the cluster does it, then served."""
    alpha = new_store("alpha", postgres, redis, 0)
    first_bootstrap = backend_command(alpha, "bootstrap")
    backend_command(alpha, "admin")
    alpha.publishable_key = backend_command(alpha, "publishable-key")["publishable_key"]
    processes: list[ManagedProcess] = []
    try:
        server = start_backend(alpha, log_dir)
        processes.append(server)
        worker = start_backend(alpha, log_dir, mode="worker")
        processes.append(worker)
        storefront = start_storefront(alpha, log_dir)
        processes.append(storefront)
        wait_for_http(f"{alpha.api_origin}/health", 120, server)
        wait_for_http(f"http://127.0.0.1:{worker.env['PORT']}/health", 120, worker)
        wait_for_http(f"{alpha.storefront_origin}/api/health", 60, storefront)
        yield RunningStore(alpha, first_bootstrap, server, worker, storefront)
    finally:
        for process in reversed(processes):
            process.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A fresh browser context per test: its own cookies, so its own cart."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(PATIENCE_MS)
    try:
        yield page
    finally:
        context.close()
