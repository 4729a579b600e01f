import { BackendUnavailableError, backendConfig } from "./config"

// A refusal by the Store API (bad input, not enough stock...), with the
// backend's own message; distinct from the backend being unreachable.
export class StoreApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly type: string | undefined
  ) {
    super(message)
    this.name = "StoreApiError"
  }
}

type Query = Record<string, string | number | undefined>

// Calls the Medusa Store API from the server side only: the browser never
// talks to the backend, so it needs neither CORS nor the publishable key.
export async function storeApi<T>(
  path: string,
  options: { method?: "GET" | "POST" | "DELETE"; body?: unknown; query?: Query } = {}
): Promise<T> {
  const { url, publishableKey } = await backendConfig()
  const target = new URL(url + path)
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined) target.searchParams.set(key, String(value))
  }
  let response: Response
  try {
    response = await fetch(target, {
      method: options.method ?? "GET",
      headers: {
        "content-type": "application/json",
        "x-publishable-api-key": publishableKey,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: "no-store",
      signal: AbortSignal.timeout(15_000),
    })
  } catch (error) {
    throw new BackendUnavailableError(`store backend unreachable: ${(error as Error).message}`)
  }
  if (response.status >= 500) {
    throw new BackendUnavailableError(`store backend answered ${response.status}`)
  }
  const payload = await response.json().catch(() => ({}))
  if (!response.ok) {
    throw new StoreApiError(payload.message ?? response.statusText, response.status, payload.type)
  }
  return payload as T
}
