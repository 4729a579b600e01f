import { ExecArgs, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import {
  createApiKeysWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
} from "@medusajs/medusa/core-flows"
import { writeResult } from "./lib/result"

const KEY_TITLE = "Storefront"

// Reuses the store's publishable key when it exists, so re-runs keep the
// value already stored in the cluster; creates and links one otherwise.
// Medusa itself creates a default key, linked to the default sales channel,
// the first time it loads a database without one (the snapshot has none).
export async function ensurePublishableKey(
  container: MedusaContainer
): Promise<{ publishable_key: string }> {
  const apiKeyModule = container.resolve(Modules.API_KEY)
  const storeModule = container.resolve(Modules.STORE)

  const keys = await apiKeyModule.listApiKeys(
    { type: "publishable" },
    { order: { created_at: "ASC" } }
  )
  const existing = keys.find((key) => !key.revoked_at)
  if (existing) {
    return { publishable_key: existing.token }
  }

  const [store] = await storeModule.listStores()
  const salesChannelId = store?.default_sales_channel_id
  if (!salesChannelId) {
    throw new Error("The store has no default sales channel: bootstrap first")
  }
  const { result } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: KEY_TITLE, type: "publishable", created_by: "" }] },
  })
  await linkSalesChannelsToApiKeyWorkflow(container).run({
    input: { id: result[0].id, add: [salesChannelId] },
  })
  return { publishable_key: result[0].token }
}

export default async function publishableKey({ container }: ExecArgs) {
  writeResult(await ensurePublishableKey(container))
}
