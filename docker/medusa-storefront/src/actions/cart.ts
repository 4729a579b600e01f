"use server"

import { redirect } from "next/navigation"
import { forgetCart, readCartId, saveCartId } from "@/lib/cart-cookie"
import { BackendUnavailableError } from "@/lib/config"
import { StoreApiError } from "@/lib/medusa"
import { addLineItem, createCart, getCart, getRegion, removeLineItem } from "@/lib/store"

// The quantity comes back with an error: React resets the form on submit.
export type AddToCartState = { error?: string; quantity?: number }

const UNAVAILABLE = "The store is unavailable right now. Please try again in a moment."

// Medusa refuses a quantity above stock; say so in the shopper's terms.
function explain(error: StoreApiError): string {
  if (/inventory|stock/i.test(error.message)) {
    return "Sorry, not enough in stock for that quantity."
  }
  return error.message
}

async function openCartId(): Promise<string> {
  const existing = await readCartId()
  if (existing) {
    try {
      const cart = await getCart(existing)
      if (!cart.completed_at) return cart.id
    } catch (error) {
      if (!(error instanceof StoreApiError)) throw error
    }
  }
  const region = await getRegion()
  const cart = await createCart(region.id)
  await saveCartId(cart.id)
  return cart.id
}

export async function addToCart(_previous: AddToCartState, form: FormData): Promise<AddToCartState> {
  const variantId = String(form.get("variant_id") ?? "")
  const quantity = Number(form.get("quantity") ?? "1")
  if (!variantId) {
    return { error: "Choose an option first." }
  }
  if (!Number.isInteger(quantity) || quantity < 1) {
    return { error: "Quantity must be a whole number of at least 1." }
  }
  try {
    await addLineItem(await openCartId(), variantId, quantity)
  } catch (error) {
    if (error instanceof StoreApiError) return { error: explain(error), quantity }
    if (error instanceof BackendUnavailableError) return { error: UNAVAILABLE, quantity }
    throw error
  }
  redirect("/cart")
}

export async function removeFromCart(form: FormData) {
  const cartId = await readCartId()
  const lineId = String(form.get("line_id") ?? "")
  if (cartId && lineId) {
    await removeLineItem(cartId, lineId)
  }
  redirect("/cart")
}

export async function clearCart() {
  await forgetCart()
  redirect("/")
}
