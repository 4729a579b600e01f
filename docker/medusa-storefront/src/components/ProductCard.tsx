import Link from "next/link"
import { formatMoney } from "@/lib/money"
import type { Product } from "@/lib/types"

function lowestPrice(product: Product) {
  const prices = product.variants
    .map((variant) => variant.calculated_price)
    .filter((price) => price !== undefined && price !== null)
  if (prices.length === 0) return null
  return prices.reduce((low, price) => (price.calculated_amount < low.calculated_amount ? price : low))
}

export function ProductCard({ product }: { product: Product }) {
  const price = lowestPrice(product)
  const several = new Set(product.variants.map((v) => v.calculated_price?.calculated_amount)).size > 1
  return (
    <Link href={`/products/${product.handle}`} className="product-card" data-testid="product-card">
      <div className="product-thumb" aria-hidden="true">
        {product.title.slice(0, 1)}
      </div>
      <h2>{product.title}</h2>
      <p className="price" data-testid="product-price">
        {price ? `${several ? "from " : ""}${formatMoney(price.calculated_amount, price.currency_code)}` : "Price on request"}
      </p>
    </Link>
  )
}
