import { notFound } from "next/navigation"
import { AddToCartForm, type VariantChoice } from "@/components/AddToCartForm"
import { formatMoney } from "@/lib/money"
import { getProduct, getRegion } from "@/lib/store"

export default async function ProductPage({ params }: { params: Promise<{ handle: string }> }) {
  const { handle } = await params
  const region = await getRegion()
  const product = await getProduct(handle, region.id)
  if (!product) {
    notFound()
  }
  const variants: VariantChoice[] = product.variants.map((variant) => ({
    id: variant.id,
    title: variant.title,
    price: variant.calculated_price
      ? formatMoney(variant.calculated_price.calculated_amount, variant.calculated_price.currency_code)
      : "",
    stock: variant.manage_inventory ? (variant.inventory_quantity ?? 0) : null,
  }))
  return (
    <article className="product-page">
      <div className="product-thumb large" aria-hidden="true">
        {product.title.slice(0, 1)}
      </div>
      <div>
        <h1>{product.title}</h1>
        {product.description ? <p>{product.description}</p> : null}
        <AddToCartForm variants={variants} optionName="Choose an option" />
      </div>
    </article>
  )
}
