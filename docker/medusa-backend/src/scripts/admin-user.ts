import { ExecArgs, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createUsersWorkflow } from "@medusajs/medusa/core-flows"
import { requiredEnv, writeResult } from "./lib/result"

const PROVIDER = "emailpass"

// Creates the admin user, or sets its password when it exists, so a re-run
// with the same Secret is harmless and a rotated password takes effect.
// Credentials come from the environment only, never from argv.
export async function upsertAdminUser(
  container: MedusaContainer
): Promise<{ email: string; created: boolean }> {
  const email = requiredEnv("MEDUSA_ADMIN_EMAIL").toLowerCase()
  const password = requiredEnv("MEDUSA_ADMIN_PASSWORD")
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const userModule = container.resolve(Modules.USER)
  const authModule = container.resolve(Modules.AUTH)

  let [user] = await userModule.listUsers({ email })
  const userCreated = !user
  if (!user) {
    const { result } = await createUsersWorkflow(container).run({
      input: { users: [{ email }] },
    })
    user = result[0]
  }

  const identities = await authModule.listProviderIdentities({
    entity_id: email,
    provider: PROVIDER,
  })
  if (identities.length > 0) {
    const { success, error } = await authModule.updateProvider(PROVIDER, {
      entity_id: email,
      password,
    })
    if (!success) {
      throw new Error(`Could not set the admin password: ${error}`)
    }
    await authModule.updateAuthIdentities({
      id: identities[0].auth_identity_id!,
      app_metadata: { user_id: user.id },
    })
  } else {
    const { authIdentity, error } = await authModule.register(PROVIDER, {
      body: { email, password },
    })
    if (error || !authIdentity) {
      throw new Error(`Could not register the admin identity: ${error}`)
    }
    await authModule.updateAuthIdentities({
      id: authIdentity.id,
      app_metadata: { user_id: user.id },
    })
  }

  logger.info(userCreated ? "Admin user created." : "Admin user updated.")
  return { email, created: userCreated }
}

export default async function adminUser({ container }: ExecArgs) {
  writeResult(await upsertAdminUser(container))
}
