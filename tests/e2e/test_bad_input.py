"""What the shopper sees when input is wrong or the backend is gone."""

from __future__ import annotations

import dataclasses

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, RunningStore
from tests.e2e.services import (
    admin_orders,
    free_port,
    http_get,
    start_backend,
    start_storefront,
    wait_for_http,
)
from tests.e2e.shopping import add_to_cart, fill_checkout


def test_checkout_with_a_missing_field_shows_a_form_error(store: RunningStore, page: Page) -> None:
    origin = store.store.storefront_origin
    orders_before = len(admin_orders(store.store))
    add_to_cart(page, origin, "Harbour Mug", "Blue")
    page.wait_for_url(f"{origin}/cart")
    page.get_by_test_id("go-to-checkout").click()
    fill_checkout(page, skip="postal_code")
    page.get_by_test_id("place-order").click()

    expect(page.get_by_test_id("error-postal_code")).to_have_text("Postal code is required.")
    expect(page.locator("input[name='postal_code']")).to_have_attribute("aria-invalid", "true")
    # What the shopper typed is kept, and nothing was ordered.
    expect(page.locator("input[name='city']")).to_have_value("Hamburg")
    assert page.url == f"{origin}/checkout"
    assert len(admin_orders(store.store)) == orders_before
    page.screenshot(path=str(ARTIFACTS / "checkout-missing-field.png"), full_page=True)


def test_quantity_above_stock_is_refused(store: RunningStore, page: Page) -> None:
    origin = store.store.storefront_origin
    add_to_cart(page, origin, "Signed Lighthouse Print", "A3", quantity=5)
    expect(page.get_by_test_id("stock")).to_have_text("Only 2 left in stock")
    expect(page.get_by_test_id("add-to-cart-error")).to_have_text(
        "Sorry, not enough in stock for that quantity."
    )
    expect(page.get_by_label("Quantity")).to_have_value("5")
    page.screenshot(path=str(ARTIFACTS / "quantity-above-stock.png"), full_page=True)
    page.goto(f"{origin}/cart")
    expect(page.get_by_test_id("cart-empty")).to_be_visible()


@pytest.fixture
def store_with_own_backend(store: RunningStore, log_dir):
    """Alpha's data behind a backend and storefront of this test's own, so
    stopping that backend leaves the shared store alone."""
    copy = dataclasses.replace(
        store.store, name="alpha-outage", backend_port=free_port(), storefront_port=free_port()
    )
    server = start_backend(copy, log_dir)
    storefront = start_storefront(copy, log_dir)
    try:
        wait_for_http(f"{copy.api_origin}/health", 120, server)
        wait_for_http(f"{copy.storefront_origin}/api/health", 60, storefront)
        yield copy, server, storefront
    finally:
        storefront.stop()
        server.stop()


def test_storefront_shows_an_error_page_when_the_backend_is_stopped(
    store_with_own_backend, page: Page
) -> None:
    copy, server, storefront = store_with_own_backend
    page.goto(f"{copy.storefront_origin}/")
    expect(page.get_by_test_id("product-card")).to_have_count(4)

    server.stop()
    page.goto(f"{copy.storefront_origin}/products/harbour-mug")
    expect(page.get_by_test_id("error-page")).to_be_visible()
    expect(page.get_by_role("heading")).to_contain_text(["The store is unavailable right now"])
    page.screenshot(path=str(ARTIFACTS / "backend-down.png"), full_page=True)
    # An error page, not a crash: the storefront still serves.
    assert not storefront.exited()
    assert http_get(f"{copy.storefront_origin}/api/health")[0] == 200
