"use client"

import { useActionState, useState } from "react"
import { type AddToCartState, addToCart } from "@/actions/cart"

export type VariantChoice = {
  id: string
  title: string
  price: string
  // null when the variant's stock is not tracked
  stock: number | null
}

function stockLabel(stock: number | null): string {
  if (stock === null) return "In stock"
  if (stock <= 0) return "Out of stock"
  return stock <= 5 ? `Only ${stock} left in stock` : `${stock} in stock`
}

export function AddToCartForm({ variants, optionName }: { variants: VariantChoice[]; optionName: string }) {
  const [state, action, pending] = useActionState<AddToCartState, FormData>(addToCart, {})
  const firstAvailable = variants.find((v) => v.stock === null || v.stock > 0) ?? variants[0]
  const [selectedId, setSelectedId] = useState(firstAvailable?.id ?? "")
  const selected = variants.find((v) => v.id === selectedId)
  const soldOut = selected?.stock !== null && selected !== undefined && selected.stock <= 0

  return (
    <form action={action} className="add-to-cart">
      <fieldset>
        <legend>{optionName}</legend>
        {variants.map((variant) => (
          <label key={variant.id} className="variant-choice">
            <input
              type="radio"
              name="variant_id"
              value={variant.id}
              checked={variant.id === selectedId}
              onChange={() => setSelectedId(variant.id)}
            />
            <span>{variant.title}</span>
            <span className="variant-price">{variant.price}</span>
          </label>
        ))}
      </fieldset>
      <p className="stock" data-testid="stock">
        {selected ? stockLabel(selected.stock) : ""}
      </p>
      <label className="quantity">
        Quantity
        <input
          key={state.quantity ?? 1}
          type="number"
          name="quantity"
          defaultValue={state.quantity ?? 1}
          min={1}
          step={1}
          inputMode="numeric"
        />
      </label>
      <button type="submit" disabled={pending || soldOut} data-testid="add-to-cart">
        {pending ? "Adding…" : "Add to cart"}
      </button>
      {state.error ? (
        <p className="form-error" role="alert" data-testid="add-to-cart-error">
          {state.error}
        </p>
      ) : null}
    </form>
  )
}
