// Checkout input as the form sends it, and its validation: the server
// checks every field itself, whatever the browser did.

export type CheckoutFields = {
  email: string
  first_name: string
  last_name: string
  address_1: string
  city: string
  postal_code: string
  country_code: string
  phone: string
  shipping_option_id: string
  payment_provider: string
}

export type CheckoutState = {
  values: Partial<CheckoutFields>
  errors: Partial<Record<keyof CheckoutFields | "form", string>>
}

const REQUIRED: [keyof CheckoutFields, string][] = [
  ["email", "Email"],
  ["first_name", "First name"],
  ["last_name", "Last name"],
  ["address_1", "Address"],
  ["city", "City"],
  ["postal_code", "Postal code"],
  ["country_code", "Country"],
  ["shipping_option_id", "Shipping option"],
  ["payment_provider", "Payment method"],
]

export function readCheckoutForm(form: FormData): CheckoutFields {
  const text = (name: string) => String(form.get(name) ?? "").trim()
  return {
    email: text("email"),
    first_name: text("first_name"),
    last_name: text("last_name"),
    address_1: text("address_1"),
    city: text("city"),
    postal_code: text("postal_code"),
    country_code: text("country_code").toLowerCase(),
    phone: text("phone"),
    shipping_option_id: text("shipping_option_id"),
    payment_provider: text("payment_provider"),
  }
}

export function validateCheckout(fields: CheckoutFields): CheckoutState["errors"] {
  const errors: CheckoutState["errors"] = {}
  for (const [name, label] of REQUIRED) {
    if (!fields[name]) {
      errors[name] = `${label} is required.`
    }
  }
  if (fields.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(fields.email)) {
    errors.email = "Enter a valid email address."
  }
  return errors
}
