#!/usr/bin/env python3
"""Store app benchmark: the built Medusa backend and Next.js storefront.

In one run, on loopback PostgreSQL and Redis started here:
  - database bootstrap: snapshot restore against migrate + seed (goal: >= 15x faster)
  - backend start to the first /health 200, storefront start to the first page
  - order flow: over the Store API, and in headless Chromium (grid to confirmation)
  - resident memory of backend and storefront, idle and after the orders

It runs the two build scripts first (nothing to do when the builds are current).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.e2e.browser import launch_chromium  # noqa: E402
from tests.e2e.services import (  # noqa: E402
    ManagedProcess,
    Postgres,
    Redis,
    Store,
    backend_command,
    http_json,
    require_builds,
    rss_bytes,
    start_backend,
    start_storefront,
    stop_on_sigterm,
    wait_for_http,
)
from tests.e2e.shopping import order_with_cash_on_delivery  # noqa: E402

LOG_DIR = REPO / "tests" / "e2e" / "artifacts" / "bench-logs"
RESTORE_ROUNDS = 3
API_ORDER_ROUNDS = 3
SPEEDUP_GOAL = 15


def timed(action) -> tuple[float, object]:
    started = time.monotonic()
    result = action()
    return time.monotonic() - started, result


def bootstrap_seconds(store: Store, **env: str) -> tuple[float, str]:
    seconds, answer = timed(lambda: backend_command(store, "bootstrap", env))
    return seconds, answer["action"]


def api_order(store: Store) -> None:
    """The Store API calls a storefront makes for one cash-on-delivery order."""
    headers = {"x-publishable-api-key": store.publishable_key}

    def call(path: str, body: dict | None = None) -> dict:
        status, payload = http_json(f"{store.api_origin}{path}", body, headers)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}: {payload}")
        return payload

    region = call("/store/regions")["regions"][0]
    products = call(f"/store/products?region_id={region['id']}&fields=*variants.calculated_price")[
        "products"
    ]
    variant = next(p for p in products if p["handle"] == "harbour-mug")["variants"][0]
    cart = call("/store/carts", {"region_id": region["id"]})["cart"]
    call(f"/store/carts/{cart['id']}/line-items", {"variant_id": variant["id"], "quantity": 1})
    address = {
        "first_name": "Bench",
        "last_name": "Mark",
        "address_1": "Kai 1",
        "city": "Hamburg",
        "postal_code": "20457",
        "country_code": "de",
    }
    call(
        f"/store/carts/{cart['id']}",
        {"email": "bench@example.com", "shipping_address": address, "billing_address": address},
    )
    option = call(f"/store/shipping-options?cart_id={cart['id']}")["shipping_options"][0]
    call(f"/store/carts/{cart['id']}/shipping-methods", {"option_id": option["id"]})
    collection = call("/store/payment-collections", {"cart_id": cart["id"]})["payment_collection"]
    call(
        f"/store/payment-collections/{collection['id']}/payment-sessions",
        {"provider_id": "pp_system_default"},
    )
    if call(f"/store/carts/{cart['id']}/complete", {})["type"] != "order":
        raise RuntimeError("cart did not complete into an order")


def browser_order(store: Store) -> tuple[float, str]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            page = chromium.new_context().new_page()
            page.set_default_timeout(60_000)
            return timed(
                lambda: order_with_cash_on_delivery(
                    page, store.storefront_origin, "Canvas Tote", "Natural"
                )
            )
        finally:
            chromium.close()


def megabytes(process: ManagedProcess) -> float:
    return rss_bytes(process) / 2**20


def run() -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    postgres = Postgres(LOG_DIR).start()
    redis = Redis(LOG_DIR).start()
    processes: list[ManagedProcess] = []
    try:

        def store(name: str, redis_db: int = 0) -> Store:
            return Store(name, postgres.url(f"bench_{name}"), f"{redis.url}/{redis_db}")

        restores = [bootstrap_seconds(store(f"restore{i}")) for i in range(RESTORE_ROUNDS)]
        assert all(action == "restore" for _, action in restores), restores
        seeded, action = bootstrap_seconds(store("seeded"), MEDUSA_SNAPSHOT_PATH="/nonexistent")
        assert action == "migrate_and_seed", action
        restore = statistics.median(seconds for seconds, _ in restores)
        speedup = seeded / restore
        verdict = "goal met" if speedup >= SPEEDUP_GOAL else f"BELOW the {SPEEDUP_GOAL}x goal"
        rows += [
            (f"bootstrap: snapshot restore (median of {RESTORE_ROUNDS})", f"{restore:.2f} s"),
            ("bootstrap: migrate + seed", f"{seeded:.2f} s"),
            ("bootstrap: speed-up of the restore", f"{speedup:.1f}x ({verdict})"),
        ]

        shop = store("restore0")
        admin_seconds, _ = timed(lambda: backend_command(shop, "admin"))
        key_seconds, key = timed(lambda: backend_command(shop, "publishable-key"))
        shop.publishable_key = key["publishable_key"]
        rows += [
            ("admin user (create)", f"{admin_seconds:.2f} s"),
            ("publishable key (create)", f"{key_seconds:.2f} s"),
        ]

        server = start_backend(shop, LOG_DIR)
        processes.append(server)
        to_health = wait_for_http(f"{shop.api_origin}/health", 180, server)
        rows.append(("backend start to first /health 200", f"{to_health:.2f} s"))
        time.sleep(2)  # let start-up work settle before reading memory
        backend_idle = megabytes(server)

        storefront = start_storefront(shop, LOG_DIR)
        processes.append(storefront)
        to_page = wait_for_http(f"{shop.storefront_origin}/", 60, storefront)
        rows.append(("storefront start to first page (product grid)", f"{to_page:.2f} s"))
        storefront_idle = megabytes(storefront)

        api_times = [timed(lambda: api_order(shop))[0] for _ in range(API_ORDER_ROUNDS)]
        rows.append(
            (
                f"order flow, Store API, 10 calls (median of {API_ORDER_ROUNDS})",
                f"{statistics.median(api_times):.2f} s",
            )
        )
        browser_seconds, number = browser_order(shop)
        rows.append(
            (f"order flow, browser, grid to confirmation ({number})", f"{browser_seconds:.2f} s")
        )

        rows += [
            (
                "backend RSS idle / after orders",
                f"{backend_idle:.0f} MB / {megabytes(server):.0f} MB",
            ),
            (
                "storefront RSS idle / after orders",
                f"{storefront_idle:.0f} MB / {megabytes(storefront):.0f} MB",
            ),
        ]
    finally:
        for process in reversed(processes):
            process.stop()
        redis.stop()
        postgres.stop()
    return rows


def main() -> int:
    for script in ("docker/medusa-backend/build.sh", "docker/medusa-storefront/build.sh"):
        subprocess.run([str(REPO / script)], check=True)
    require_builds()
    stop_on_sigterm()
    rows = run()
    width = max(len(name) for name, _ in rows)
    print(f"\n{'store app benchmark':<{width}}  result")
    print(f"{'-' * width}  {'-' * 30}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(f"\nlogs: {LOG_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
