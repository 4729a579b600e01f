import type { Metadata } from "next"
import Link from "next/link"
import type { ReactNode } from "react"
import { CartLink } from "@/components/CartLink"
import "./globals.css"

export const metadata: Metadata = {
  title: "Storefleet Store",
  description: "Products, cart and checkout with cash on delivery.",
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            Storefleet Store
          </Link>
          <nav>
            <Link href="/">Shop</Link>
            <CartLink />
          </nav>
        </header>
        <main>{children}</main>
        <footer className="site-footer">Cash on delivery · Delivery in 2–3 working days</footer>
      </body>
    </html>
  )
}
