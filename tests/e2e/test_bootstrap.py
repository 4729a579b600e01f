"""Database bootstrap and per-store credentials through the entry point."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from tests.e2e.conftest import RunningStore, new_store
from tests.e2e.services import (
    Postgres,
    Redis,
    backend_command,
    backend_run,
    http_get,
    http_json,
    start_backend,
    wait_for_http,
)


def product_count(origin: str, publishable_key: str) -> tuple[int, int]:
    status, body = http_json(
        f"{origin}/store/products?limit=50", headers={"x-publishable-api-key": publishable_key}
    )
    return status, len(body.get("products", []))


def test_first_bootstrap_restores_the_snapshot(store: RunningStore) -> None:
    assert store.first_bootstrap == {"action": "restore"}
    assert http_get(f"{store.store.api_origin}/health")[0] == 200
    assert product_count(store.store.api_origin, store.store.publishable_key) == (200, 4)


def test_second_bootstrap_and_credentials_are_harmless(store: RunningStore) -> None:
    alpha = store.store
    # The same build again: its migrations ran here already.
    assert backend_command(alpha, "bootstrap") == {"action": "up_to_date"}
    assert backend_command(alpha, "admin") == {"email": alpha.admin_email, "created": False}
    again = backend_command(alpha, "publishable-key")
    assert again == {"publishable_key": alpha.publishable_key}
    # The admin Job's one-load command gives the same answers.
    assert backend_command(alpha, "admin-setup") == {
        "email": alpha.admin_email,
        "created": False,
        "publishable_key": alpha.publishable_key,
    }
    # The running store still serves the same catalogue and the same login.
    assert product_count(alpha.api_origin, alpha.publishable_key) == (200, 4)
    status, body = http_json(
        f"{alpha.api_origin}/auth/user/emailpass",
        {"email": alpha.admin_email, "password": alpha.admin_password},
    )
    assert status == 200
    assert body["token"]


def test_stores_from_one_snapshot_get_their_own_credentials(
    store: RunningStore, postgres: Postgres, redis: Redis, log_dir
) -> None:
    alpha = store.store
    beta = new_store("beta", postgres, redis, 1)
    assert backend_command(beta, "bootstrap") == {"action": "restore"}
    # The snapshot itself carries no credential of any store.
    counts = postgres.psql(
        "store_beta",
        "SELECT (SELECT count(*) FROM \"user\") || ',' || (SELECT count(*) FROM api_key)",
    )
    assert counts == "0,0"

    setup = backend_command(beta, "admin-setup")
    assert setup["created"] is True
    beta.publishable_key = setup["publishable_key"]
    assert beta.publishable_key.startswith("pk_")
    assert beta.publishable_key != alpha.publishable_key
    assert beta.admin_password != alpha.admin_password

    server = start_backend(beta, log_dir)
    try:
        wait_for_http(f"{beta.api_origin}/health", 120, server)
        login = f"{beta.api_origin}/auth/user/emailpass"
        own = {"email": beta.admin_email, "password": beta.admin_password}
        alphas = {"email": alpha.admin_email, "password": alpha.admin_password}
        assert http_json(login, own)[0] == 200
        assert http_json(login, alphas)[0] == 401
        assert product_count(beta.api_origin, beta.publishable_key) == (200, 4)
        # Alpha's key means nothing to beta's store.
        assert product_count(beta.api_origin, alpha.publishable_key)[0] in (400, 401)
    finally:
        server.stop()


def test_a_store_without_demo_data_keeps_checkout_setup_but_no_products(
    postgres: Postgres, redis: Redis
) -> None:
    gamma = new_store("gamma", postgres, redis, 2)
    answer = backend_command(gamma, "bootstrap", env={"MEDUSA_SEED_DEMO_DATA": "false"})
    assert answer == {"action": "restore", "demo_data": False}
    live_products = "SELECT count(*) FROM product WHERE deleted_at IS NULL"
    assert postgres.psql("store_gamma", live_products) == "0"
    assert postgres.psql("store_gamma", "SELECT count(*) FROM region") == "1"
    assert postgres.psql("store_gamma", "SELECT count(*) FROM shipping_option") == "1"
    # A later bootstrap never touches the catalogue the store's owner built since.
    again = backend_command(gamma, "bootstrap", env={"MEDUSA_SEED_DEMO_DATA": "false"})
    assert again == {"action": "up_to_date"}


def test_medusa_processes_wait_until_the_bootstrap_has_run(
    postgres: Postgres, redis: Redis
) -> None:
    # Its own name: test_backup_restore.py has a store "delta" in this session.
    waiter = new_store("waiter", postgres, redis, 3)
    # No database yet: the wait runs out and says what it was waiting for.
    early = backend_run(waiter, "wait-for-bootstrap", env={"STOREFLEET_WAIT_SECONDS": "2"})
    assert early.returncode == 1
    assert "still waiting for the database" in early.stderr
    assert waiter.database_url not in early.stderr

    with ThreadPoolExecutor(max_workers=1) as pool:
        waiting = pool.submit(backend_run, waiter, "wait-for-bootstrap")
        time.sleep(3)
        assert not waiting.done(), "the wait ended before any bootstrap"
        assert backend_command(waiter, "bootstrap") == {"action": "restore"}
        waited = waiting.result(timeout=30)
    assert waited.returncode == 0, waited.stderr
    assert "database ready" in waited.stderr
    # A bootstrapped database: no wait at all.
    assert backend_run(waiter, "wait-for-bootstrap").returncode == 0


def test_a_new_build_migrates_once_then_is_up_to_date(postgres: Postgres, redis: Redis) -> None:
    epsilon = new_store("epsilon", postgres, redis, 4)
    assert backend_command(epsilon, "bootstrap") == {"action": "restore"}
    builds = "SELECT count(*) FROM storefleet_builds"
    assert postgres.psql("store_epsilon", builds) == "1"
    # As a store looks to the next build: bootstrapped, but not for this build.
    postgres.psql("store_epsilon", "DELETE FROM storefleet_builds")
    # Its pods start on the bootstrapped store (they do not hold their node waiting for
    # the new build's migrations); its bootstrap migrates once.
    assert backend_run(epsilon, "wait-for-bootstrap").returncode == 0
    assert backend_command(epsilon, "bootstrap") == {"action": "migrate"}
    assert postgres.psql("store_epsilon", builds) == "1"
    assert backend_command(epsilon, "bootstrap") == {"action": "up_to_date"}
