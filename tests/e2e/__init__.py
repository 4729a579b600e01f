"""Store app end to end: Medusa backend, Next.js storefront, a real browser."""
