import { connection } from "next/server"

export type BackendConfig = { url: string; publishableKey: string }

// Read per request, never at build time: the same build serves every store,
// each with its own backend URL and publishable key.
export async function backendConfig(): Promise<BackendConfig> {
  await connection()
  const url = process.env.MEDUSA_BACKEND_URL
  const publishableKey = process.env.MEDUSA_PUBLISHABLE_KEY
  if (!url || !publishableKey) {
    throw new BackendUnavailableError("MEDUSA_BACKEND_URL and MEDUSA_PUBLISHABLE_KEY must be set")
  }
  return { url: url.replace(/\/+$/, ""), publishableKey }
}

export class BackendUnavailableError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "BackendUnavailableError"
  }
}
