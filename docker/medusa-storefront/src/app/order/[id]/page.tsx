import Link from "next/link"
import { formatMoney } from "@/lib/money"
import { getOrder } from "@/lib/store"

export default async function OrderConfirmation({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  const order = await getOrder(id)
  const money = (amount: number) => formatMoney(amount, order.currency_code)
  return (
    <section className="confirmation" data-testid="order-confirmation">
      <h1>Thank you for your order!</h1>
      <p className="order-number">
        Order number <strong data-testid="order-number">#{order.display_id}</strong>
      </p>
      <p>
        A confirmation goes to <strong>{order.email}</strong>. You pay in cash when the parcel arrives.
      </p>
      <ul className="order-items">
        {order.items.map((item) => (
          <li key={item.id}>
            {item.quantity} × {item.product_title} ({item.variant_title})
          </li>
        ))}
      </ul>
      <p className="total">
        Total to pay on delivery: <strong data-testid="order-total">{money(order.total)}</strong>
      </p>
      <Link href="/">Continue shopping</Link>
    </section>
  )
}
