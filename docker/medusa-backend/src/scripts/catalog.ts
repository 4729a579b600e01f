// The demo catalogue every new store starts with. Prices are in major units
// of CURRENCY; stock is per variant at the single warehouse.
export const REGION_NAME = "Europe"
export const CURRENCY = "eur"
export const COUNTRIES = ["de", "fr", "it", "es", "nl", "be", "at"]
export const SHIPPING_PRICE = 5

type Variant = { value: string; sku: string; price: number; stock: number }
type Product = {
  title: string
  handle: string
  description: string
  option: string
  variants: Variant[]
}

export const CATALOG: Product[] = [
  {
    title: "Fleet T-Shirt",
    handle: "fleet-t-shirt",
    description: "Soft organic cotton shirt with the fleet logo.",
    option: "Size",
    variants: [
      { value: "S", sku: "SHIRT-S", price: 25, stock: 50 },
      { value: "M", sku: "SHIRT-M", price: 25, stock: 50 },
      { value: "L", sku: "SHIRT-L", price: 27, stock: 20 },
    ],
  },
  {
    title: "Harbour Mug",
    handle: "harbour-mug",
    description: "Stoneware mug that keeps coffee warm on deck.",
    option: "Colour",
    variants: [
      { value: "Blue", sku: "MUG-BLUE", price: 12, stock: 100 },
      { value: "White", sku: "MUG-WHITE", price: 12, stock: 100 },
    ],
  },
  {
    title: "Canvas Tote",
    handle: "canvas-tote",
    description: "Heavy canvas bag for the weekly market.",
    option: "Colour",
    variants: [{ value: "Natural", sku: "TOTE-NATURAL", price: 18, stock: 30 }],
  },
  {
    // Scarce on purpose: a quantity above stock must be refused.
    title: "Signed Lighthouse Print",
    handle: "signed-lighthouse-print",
    description: "Numbered print, signed by the artist. Only a few left.",
    option: "Format",
    variants: [{ value: "A3", sku: "PRINT-A3", price: 60, stock: 2 }],
  },
]
