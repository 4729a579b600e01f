"""Shopper steps in the storefront, shared by the order-flow tests."""

from __future__ import annotations

from playwright.sync_api import Page, expect

SHOPPER = {
    "email": "ada@example.com",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "address_1": "Hafenstrasse 1",
    "postal_code": "20457",
    "city": "Hamburg",
}


def add_to_cart(page: Page, origin: str, product: str, option: str, quantity: int = 1) -> None:
    page.goto(f"{origin}/")
    page.get_by_test_id("product-card").filter(has_text=product).click()
    expect(page.get_by_role("heading", name=product)).to_be_visible()
    page.locator("label.variant-choice").filter(has_text=option).locator("input").check()
    page.get_by_label("Quantity").fill(str(quantity))
    page.get_by_test_id("add-to-cart").click()


def fill_checkout(page: Page, skip: str | None = None) -> None:
    for name, value in SHOPPER.items():
        if name != skip:
            page.locator(f"input[name='{name}']").fill(value)
    if skip != "country_code":
        page.locator("select[name='country_code']").select_option("de")


def order_with_cash_on_delivery(page: Page, origin: str, product: str, option: str) -> str:
    """The whole shopper path, grid to confirmation; returns the order number."""
    add_to_cart(page, origin, product, option)
    page.wait_for_url(f"{origin}/cart")
    page.get_by_test_id("go-to-checkout").click()
    page.wait_for_url(f"{origin}/checkout")
    fill_checkout(page)
    page.get_by_test_id("place-order").click()
    page.wait_for_url(f"{origin}/order/**")
    return page.get_by_test_id("order-number").inner_text()
