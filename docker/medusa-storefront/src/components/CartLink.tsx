import Link from "next/link"
import { readCartId } from "@/lib/cart-cookie"
import { getCart } from "@/lib/store"

// The header must render even when the backend is down, so a failed cart
// lookup only hides the count.
export async function CartLink() {
  let count = 0
  const cartId = await readCartId()
  if (cartId) {
    try {
      const cart = await getCart(cartId)
      count = cart.completed_at ? 0 : cart.items.reduce((sum, item) => sum + item.quantity, 0)
    } catch {
      count = 0
    }
  }
  return (
    <Link href="/cart" data-testid="cart-link">
      Cart{count > 0 ? ` (${count})` : ""}
    </Link>
  )
}
