import { defineConfig, loadEnv } from "@medusajs/framework/utils"

// One image serves every store: everything store-specific comes from the
// environment at run time (see README.md for the variables).
loadEnv(process.env.NODE_ENV || "development", process.cwd())

type WorkerMode = "shared" | "worker" | "server"

function workerMode(): WorkerMode {
  const mode = process.env.MEDUSA_WORKER_MODE || "shared"
  if (mode !== "shared" && mode !== "worker" && mode !== "server") {
    throw new Error(`MEDUSA_WORKER_MODE must be shared, worker or server, not "${mode}"`)
  }
  return mode
}

function flag(name: string, fallback: boolean): boolean {
  const value = process.env[name]
  if (value === undefined || value === "") {
    return fallback
  }
  return ["1", "true", "yes", "on"].includes(value.toLowerCase())
}

const redisUrl = process.env.REDIS_URL
const cookieSecure = flag("MEDUSA_COOKIE_SECURE", false)
const mode = workerMode()

// Server and worker run as separate pods in a store, so events, workflows,
// locks and cache must live in Redis rather than in one process's memory.
const redisModules = redisUrl
  ? [
      {
        resolve: "@medusajs/medusa/event-bus-redis",
        options: { redisUrl },
      },
      {
        resolve: "@medusajs/medusa/workflow-engine-redis",
        options: { redis: { redisUrl } },
      },
      {
        resolve: "@medusajs/medusa/locking",
        options: {
          providers: [
            {
              resolve: "@medusajs/medusa/locking-redis",
              id: "locking-redis",
              is_default: true,
              options: { redisUrl },
            },
          ],
        },
      },
      {
        resolve: "@medusajs/medusa/caching",
        options: {
          providers: [
            {
              resolve: "@medusajs/medusa/caching-redis",
              id: "caching-redis",
              is_default: true,
              options: { redisUrl },
            },
          ],
        },
      },
    ]
  : []

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    // The store's PostgreSQL serves plain TCP inside its namespace. Without this,
    // Medusa asks for TLS on each module's own connection to a non-localhost host
    // (db:migrate opens those), and the store's database refuses TLS.
    databaseDriverOptions: { connection: { ssl: false } },
    redisUrl,
    workerMode: mode,
    // Secure cookies are only sent over TLS: off for plain-HTTP local stores,
    // where a secure session cookie would make admin login impossible.
    cookieOptions: { secure: cookieSecure },
    http: {
      storeCors: process.env.STORE_CORS || "",
      adminCors: process.env.ADMIN_CORS || "",
      authCors: process.env.AUTH_CORS || "",
      jwtSecret: process.env.JWT_SECRET,
      cookieSecret: process.env.COOKIE_SECRET,
    },
  },
  admin: {
    // The worker serves no HTTP clients; the server serves the dashboard at
    // /app and, with no backendUrl, the dashboard calls its own origin.
    disable: mode === "worker" || flag("MEDUSA_ADMIN_DISABLED", false),
    path: "/app",
  },
  featureFlags: {
    caching: Boolean(redisUrl),
  },
  modules: redisModules,
})
