import { redirect } from "next/navigation"
import { CheckoutForm } from "@/components/CheckoutForm"
import { readCartId } from "@/lib/cart-cookie"
import { formatMoney } from "@/lib/money"
import { CASH_ON_DELIVERY, getCart, getRegion, listShippingOptions } from "@/lib/store"

export default async function CheckoutPage() {
  const cartId = await readCartId()
  const cart = cartId ? await getCart(cartId).catch(() => null) : null
  if (!cart || cart.completed_at || cart.items.length === 0) {
    redirect("/cart")
  }
  const [region, shippingOptions] = await Promise.all([getRegion(), listShippingOptions(cart.id)])
  const money = (amount: number) => formatMoney(amount, cart.currency_code)
  return (
    <section className="checkout">
      <h1>Checkout</h1>
      <aside className="summary" data-testid="checkout-summary">
        {cart.items.map((item) => (
          <p key={item.id}>
            {item.quantity} × {item.product_title} ({item.variant_title}) — {money(item.unit_price * item.quantity)}
          </p>
        ))}
        <p>
          Subtotal: <strong>{money(cart.subtotal)}</strong>
        </p>
      </aside>
      <CheckoutForm
        countries={region.countries
          .map((country) => ({ value: country.iso_2, label: country.display_name }))
          .sort((a, b) => a.label.localeCompare(b.label))}
        shippingOptions={shippingOptions.map((option) => ({
          value: option.id,
          label: `${option.name} — ${money(option.amount)}`,
        }))}
        paymentProvider={CASH_ON_DELIVERY}
        initial={{ email: cart.email ?? "" }}
      />
    </section>
  )
}
