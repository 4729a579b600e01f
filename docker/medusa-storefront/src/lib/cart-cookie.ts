import { cookies, headers } from "next/headers"

// The cart id lives in an httpOnly cookie: scripts in the page never see it.
const CART_COOKIE = "storefleet_cart"

export async function readCartId(): Promise<string | undefined> {
  return (await cookies()).get(CART_COOKIE)?.value
}

// Only from a Server Action or Route Handler (Next.js rule for cookie writes).
export async function saveCartId(cartId: string) {
  // Secure when the store is reached over TLS (the ingress says so).
  const secure = (await headers()).get("x-forwarded-proto") === "https"
  ;(await cookies()).set(CART_COOKIE, cartId, {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    maxAge: 60 * 60 * 24 * 7,
  })
}

export async function forgetCart() {
  ;(await cookies()).delete(CART_COOKIE)
}
