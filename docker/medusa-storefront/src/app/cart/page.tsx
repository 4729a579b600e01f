import Link from "next/link"
import { removeFromCart } from "@/actions/cart"
import { readCartId } from "@/lib/cart-cookie"
import { formatMoney } from "@/lib/money"
import { getCart } from "@/lib/store"
import type { Cart } from "@/lib/types"

async function currentCart(): Promise<Cart | null> {
  const cartId = await readCartId()
  if (!cartId) return null
  const cart = await getCart(cartId).catch((error) => {
    // A cart the backend no longer knows is simply an empty cart.
    if (error?.name === "StoreApiError") return null
    throw error
  })
  return cart && !cart.completed_at ? cart : null
}

export default async function CartPage() {
  const cart = await currentCart()
  if (!cart || cart.items.length === 0) {
    return (
      <section>
        <h1>Your cart</h1>
        <p data-testid="cart-empty">Your cart is empty.</p>
        <Link href="/">Continue shopping</Link>
      </section>
    )
  }
  const money = (amount: number) => formatMoney(amount, cart.currency_code)
  return (
    <section>
      <h1>Your cart</h1>
      <table className="cart-lines" data-testid="cart-lines">
        <thead>
          <tr>
            <th>Product</th>
            <th>Quantity</th>
            <th>Price</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {cart.items.map((item) => (
            <tr key={item.id} data-testid="cart-line">
              <td>
                {item.product_title} <span className="muted">{item.variant_title}</span>
              </td>
              <td>{item.quantity}</td>
              <td>{money(item.unit_price * item.quantity)}</td>
              <td>
                <form action={removeFromCart}>
                  <input type="hidden" name="line_id" value={item.id} />
                  <button type="submit" className="link-button">
                    Remove
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="total">
        Subtotal: <strong data-testid="cart-subtotal">{money(cart.subtotal)}</strong>
      </p>
      <Link href="/checkout" className="button" data-testid="go-to-checkout">
        Checkout
      </Link>
    </section>
  )
}
