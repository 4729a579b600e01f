import { storeApi } from "./medusa"
import type { Cart, Order, Product, Region, ShippingOption } from "./types"

const PRODUCT_FIELDS = "*variants.calculated_price,+variants.inventory_quantity"
const CART_FIELDS =
  "*items,*shipping_address,*shipping_methods,*payment_collection,+completed_at"

// The storefront sells in the store's first region: one region per store.
export async function getRegion(): Promise<Region> {
  const { regions } = await storeApi<{ regions: Region[] }>("/store/regions", {
    query: { limit: 1, fields: "id,name,currency_code,*countries" },
  })
  if (regions.length === 0) {
    throw new Error("The store has no region yet")
  }
  return regions[0]
}

export async function listProducts(regionId: string): Promise<Product[]> {
  const { products } = await storeApi<{ products: Product[] }>("/store/products", {
    query: { region_id: regionId, fields: PRODUCT_FIELDS, limit: 50, order: "title" },
  })
  return products
}

export async function getProduct(handle: string, regionId: string): Promise<Product | null> {
  const { products } = await storeApi<{ products: Product[] }>("/store/products", {
    query: { handle, region_id: regionId, fields: PRODUCT_FIELDS, limit: 1 },
  })
  return products[0] ?? null
}

export async function createCart(regionId: string): Promise<Cart> {
  const { cart } = await storeApi<{ cart: Cart }>("/store/carts", {
    method: "POST",
    body: { region_id: regionId },
  })
  return cart
}

export async function getCart(cartId: string): Promise<Cart> {
  const { cart } = await storeApi<{ cart: Cart }>(`/store/carts/${cartId}`, {
    query: { fields: CART_FIELDS },
  })
  return cart
}

export async function addLineItem(cartId: string, variantId: string, quantity: number) {
  await storeApi(`/store/carts/${cartId}/line-items`, {
    method: "POST",
    body: { variant_id: variantId, quantity },
  })
}

export async function removeLineItem(cartId: string, lineId: string) {
  await storeApi(`/store/carts/${cartId}/line-items/${lineId}`, { method: "DELETE" })
}

export async function updateCart(cartId: string, update: Record<string, unknown>) {
  await storeApi(`/store/carts/${cartId}`, { method: "POST", body: update })
}

export async function listShippingOptions(cartId: string): Promise<ShippingOption[]> {
  const { shipping_options } = await storeApi<{ shipping_options: ShippingOption[] }>(
    "/store/shipping-options",
    { query: { cart_id: cartId } }
  )
  return shipping_options
}

export async function addShippingMethod(cartId: string, optionId: string) {
  await storeApi(`/store/carts/${cartId}/shipping-methods`, {
    method: "POST",
    body: { option_id: optionId },
  })
}

// Cash on delivery is Medusa's built-in manual payment provider.
export const CASH_ON_DELIVERY = "pp_system_default"

export async function startManualPayment(cart: Cart) {
  let collectionId = cart.payment_collection?.id
  if (!collectionId) {
    const { payment_collection } = await storeApi<{ payment_collection: { id: string } }>(
      "/store/payment-collections",
      { method: "POST", body: { cart_id: cart.id } }
    )
    collectionId = payment_collection.id
  }
  await storeApi(`/store/payment-collections/${collectionId}/payment-sessions`, {
    method: "POST",
    body: { provider_id: CASH_ON_DELIVERY },
  })
}

type CompleteResult =
  | { type: "order"; order: Order }
  | { type: "cart"; cart: Cart; error: { message: string } }

export async function completeCart(cartId: string): Promise<CompleteResult> {
  return storeApi<CompleteResult>(`/store/carts/${cartId}/complete`, { method: "POST" })
}

export async function getOrder(orderId: string): Promise<Order> {
  const { order } = await storeApi<{ order: Order }>(`/store/orders/${orderId}`, {
    query: { fields: "id,display_id,email,currency_code,total,shipping_total,*items,*shipping_address" },
  })
  return order
}
