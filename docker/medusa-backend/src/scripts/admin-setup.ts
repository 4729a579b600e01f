import { ExecArgs } from "@medusajs/framework/types"
import { upsertAdminUser } from "./admin-user"
import { writeResult } from "./lib/result"
import { ensurePublishableKey } from "./publishable-key"

// The admin Job's work in one load of the app: loading Medusa is most of what
// each of the two commands costs, and a store's pods load it at the same time.
export default async function adminSetup({ container }: ExecArgs) {
  const admin = await upsertAdminUser(container)
  const key = await ensurePublishableKey(container)
  writeResult({ ...admin, ...key })
}
