import type { NextConfig } from "next"

// Nothing store-specific is read here: the backend URL and publishable key
// are read from the environment at request time, so one build serves every
// store.
const nextConfig: NextConfig = {
  output: "standalone",
  outputFileTracingRoot: __dirname,
  poweredByHeader: false,
  reactStrictMode: true,
}

export default nextConfig
