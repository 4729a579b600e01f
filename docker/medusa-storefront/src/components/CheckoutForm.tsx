"use client"

import { useActionState } from "react"
import { placeOrder } from "@/actions/checkout"
import type { CheckoutFields, CheckoutState } from "@/lib/checkout-form"

type Option = { value: string; label: string }

type Props = {
  countries: Option[]
  shippingOptions: Option[]
  paymentProvider: string
  initial: Partial<CheckoutFields>
}

// Server-side validation is the source of truth; the form has noValidate so
// the shopper sees the same messages with or without JavaScript.
export function CheckoutForm({ countries, shippingOptions, paymentProvider, initial }: Props) {
  const [state, action, pending] = useActionState<CheckoutState, FormData>(placeOrder, {
    values: initial,
    errors: {},
  })
  const value = (name: keyof CheckoutFields) => state.values[name] ?? ""

  const field = (name: keyof CheckoutFields, label: string, type = "text", autoComplete?: string) => (
    <label className="field">
      {label}
      <input
        type={type}
        name={name}
        defaultValue={value(name)}
        autoComplete={autoComplete}
        aria-invalid={state.errors[name] ? true : undefined}
      />
      {state.errors[name] ? (
        <span className="field-error" data-testid={`error-${name}`}>
          {state.errors[name]}
        </span>
      ) : null}
    </label>
  )

  return (
    <form action={action} noValidate className="checkout-form" key={JSON.stringify(state.values)}>
      <fieldset>
        <legend>Contact</legend>
        {field("email", "Email", "email", "email")}
      </fieldset>
      <fieldset>
        <legend>Delivery address</legend>
        {field("first_name", "First name", "text", "given-name")}
        {field("last_name", "Last name", "text", "family-name")}
        {field("address_1", "Address", "text", "address-line1")}
        {field("postal_code", "Postal code", "text", "postal-code")}
        {field("city", "City", "text", "address-level2")}
        <label className="field">
          Country
          <select name="country_code" defaultValue={value("country_code")}>
            <option value="">Choose a country</option>
            {countries.map((country) => (
              <option key={country.value} value={country.value}>
                {country.label}
              </option>
            ))}
          </select>
          {state.errors.country_code ? (
            <span className="field-error" data-testid="error-country_code">
              {state.errors.country_code}
            </span>
          ) : null}
        </label>
        {field("phone", "Phone (optional)", "tel", "tel")}
      </fieldset>
      <fieldset>
        <legend>Shipping</legend>
        {shippingOptions.map((option, index) => (
          <label key={option.value} className="choice">
            <input
              type="radio"
              name="shipping_option_id"
              value={option.value}
              defaultChecked={value("shipping_option_id") ? value("shipping_option_id") === option.value : index === 0}
            />
            {option.label}
          </label>
        ))}
        {state.errors.shipping_option_id ? (
          <span className="field-error">{state.errors.shipping_option_id}</span>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>Payment</legend>
        <label className="choice">
          <input type="radio" name="payment_provider" value={paymentProvider} defaultChecked />
          Cash on delivery
        </label>
        {state.errors.payment_provider ? (
          <span className="field-error">{state.errors.payment_provider}</span>
        ) : null}
      </fieldset>
      {state.errors.form ? (
        <p className="form-error" role="alert" data-testid="checkout-error">
          {state.errors.form}
        </p>
      ) : null}
      <button type="submit" disabled={pending} data-testid="place-order">
        {pending ? "Placing order…" : "Place order"}
      </button>
    </form>
  )
}
