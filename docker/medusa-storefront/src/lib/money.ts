// Medusa v2 amounts are in major units already (12.5 means 12.50).
export function formatMoney(amount: number, currencyCode: string): string {
  return new Intl.NumberFormat("en-IE", {
    style: "currency",
    currency: currencyCode.toUpperCase(),
  }).format(amount)
}
