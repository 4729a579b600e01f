// The few Store API shapes the storefront reads (Medusa v2, major units).

export type Country = { iso_2: string; display_name: string }

export type Region = { id: string; name: string; currency_code: string; countries: Country[] }

export type CalculatedPrice = { calculated_amount: number; currency_code: string }

export type Variant = {
  id: string
  title: string
  sku: string | null
  manage_inventory: boolean
  inventory_quantity?: number
  calculated_price?: CalculatedPrice
}

export type Product = {
  id: string
  title: string
  handle: string
  description: string | null
  variants: Variant[]
}

export type LineItem = {
  id: string
  title: string
  product_title: string
  variant_title: string
  quantity: number
  unit_price: number
  total: number
}

export type Address = {
  first_name: string
  last_name: string
  address_1: string
  city: string
  postal_code: string
  country_code: string
  phone?: string
}

export type Cart = {
  id: string
  email: string | null
  currency_code: string
  region_id: string
  items: LineItem[]
  subtotal: number
  shipping_total: number
  tax_total: number
  total: number
  shipping_address: Address | null
  shipping_methods: { shipping_option_id: string }[]
  payment_collection: { id: string } | null
  completed_at: string | null
}

export type ShippingOption = { id: string; name: string; amount: number }

export type Order = {
  id: string
  display_id: number
  email: string
  currency_code: string
  items: LineItem[]
  total: number
  shipping_total: number
  shipping_address: Address | null
}
