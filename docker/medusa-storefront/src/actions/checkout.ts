"use server"

import { redirect } from "next/navigation"
import { forgetCart, readCartId } from "@/lib/cart-cookie"
import { type CheckoutState, readCheckoutForm, validateCheckout } from "@/lib/checkout-form"
import { BackendUnavailableError } from "@/lib/config"
import { StoreApiError } from "@/lib/medusa"
import {
  CASH_ON_DELIVERY,
  addShippingMethod,
  completeCart,
  getCart,
  startManualPayment,
  updateCart,
} from "@/lib/store"

// Turns the cart into an order: contact and address, shipping method, cash
// on delivery, completion; then shows the confirmation page.
export async function placeOrder(_previous: CheckoutState, form: FormData): Promise<CheckoutState> {
  const values = readCheckoutForm(form)
  const errors = validateCheckout(values)
  if (values.payment_provider && values.payment_provider !== CASH_ON_DELIVERY) {
    errors.payment_provider = "Only cash on delivery is available."
  }
  if (Object.keys(errors).length > 0) {
    return { values, errors }
  }
  const cartId = await readCartId()
  if (!cartId) {
    return { values, errors: { form: "Your cart is empty." } }
  }

  let orderId: string
  try {
    const address = {
      first_name: values.first_name,
      last_name: values.last_name,
      address_1: values.address_1,
      city: values.city,
      postal_code: values.postal_code,
      country_code: values.country_code,
      phone: values.phone || undefined,
    }
    await updateCart(cartId, {
      email: values.email,
      shipping_address: address,
      billing_address: address,
    })
    await addShippingMethod(cartId, values.shipping_option_id)
    await startManualPayment(await getCart(cartId))
    const result = await completeCart(cartId)
    if (result.type !== "order") {
      return { values, errors: { form: result.error?.message ?? "The order could not be placed." } }
    }
    orderId = result.order.id
  } catch (error) {
    if (error instanceof StoreApiError) {
      return { values, errors: { form: error.message } }
    }
    if (error instanceof BackendUnavailableError) {
      return { values, errors: { form: "The store is unavailable right now. Please try again." } }
    }
    throw error
  }
  await forgetCart()
  redirect(`/order/${orderId}`)
}
