"""A shopper orders with cash on delivery in a real browser; the admin sees it."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, RunningStore
from tests.e2e.services import admin_orders
from tests.e2e.shopping import SHOPPER, add_to_cart, fill_checkout

SCREENSHOT = ARTIFACTS / "order-confirmation.png"


def test_product_grid_shows_prices(store: RunningStore, page: Page) -> None:
    page.goto(f"{store.store.storefront_origin}/")
    cards = page.get_by_test_id("product-card")
    expect(cards).to_have_count(4)
    expect(cards.filter(has_text="Harbour Mug").get_by_test_id("product-price")).to_have_text(
        "€12.00"
    )


def test_order_with_cash_on_delivery(store: RunningStore, page: Page) -> None:
    origin = store.store.storefront_origin
    add_to_cart(page, origin, "Fleet T-Shirt", "L", quantity=2)
    page.wait_for_url(f"{origin}/cart")
    expect(page.get_by_test_id("cart-line")).to_have_count(1)
    expect(page.get_by_test_id("cart-subtotal")).to_have_text("€54.00")
    expect(page.get_by_test_id("cart-link")).to_have_text("Cart (2)")

    page.get_by_test_id("go-to-checkout").click()
    page.wait_for_url(f"{origin}/checkout")
    fill_checkout(page)
    expect(page.get_by_label("Cash on delivery")).to_be_checked()
    page.get_by_test_id("place-order").click()

    page.wait_for_url(re.compile(rf"{re.escape(origin)}/order/order_\w+"))
    number = page.get_by_test_id("order-number").inner_text()
    assert re.fullmatch(r"#\d+", number), number
    expect(page.get_by_test_id("order-total")).to_have_text("€59.00")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    print(f"\nconfirmation page screenshot: {SCREENSHOT}")

    # The cart is gone with the order.
    expect(page.get_by_test_id("cart-link")).to_have_text("Cart")

    orders = {order["display_id"]: order for order in admin_orders(store.store)}
    order = orders.get(int(number.lstrip("#")))
    assert order is not None, f"order {number} not in GET /admin/orders: {sorted(orders)}"
    assert order["email"] == SHOPPER["email"]
    assert order["total"] == 59
