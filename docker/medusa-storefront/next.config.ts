import type { NextConfig } from "next"

// Nothing store-specific is read here: the backend URL and publishable key
// are read from the environment at request time, so one build serves every
// store.
const nextConfig: NextConfig = {
  output: "standalone",
  outputFileTracingRoot: __dirname,
  // No page uses next/image: without the image optimizer the server never loads
  // sharp, and its native libvips stays out of the standalone output.
  images: { unoptimized: true },
  outputFileTracingExcludes: {
    "*": ["**/node_modules/sharp/**/*", "**/node_modules/@img/**/*"],
  },
  poweredByHeader: false,
  reactStrictMode: true,
}

export default nextConfig
