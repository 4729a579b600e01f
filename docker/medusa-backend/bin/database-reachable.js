"use strict"

// The data commands (backup, restore, schema-check) run in a new pod: until the node's
// network policy agent admits the pod's address to the store's PostgreSQL, a connection
// is refused. They wait for a first connection before their one attempt at the work.
// Only network failures are waited out; anything else (a refused password, a missing
// database) is left for the command itself to report.
const { Client } = require("pg")

const NETWORK_ERRORS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
])
const POLL_MS = 1000

function waitSeconds() {
  const seconds = Number(process.env.STOREFLEET_CONNECT_SECONDS || "60")
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new Error("STOREFLEET_CONNECT_SECONDS must be a positive whole number of seconds")
  }
  return seconds
}

function isNetworkFailure(error) {
  return NETWORK_ERRORS.has(error.code) || /timeout|terminated unexpectedly/i.test(error.message)
}

async function waitForDatabase(databaseUrl, tool) {
  const seconds = waitSeconds()
  const started = Date.now()
  for (let attempt = 1; ; attempt++) {
    const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 })
    try {
      await client.connect()
      if (attempt > 1) {
        process.stderr.write(`${tool}: database reachable after ${attempt} attempts\n`)
      }
      return
    } catch (error) {
      if (!isNetworkFailure(error)) {
        return
      }
      if (Date.now() - started >= seconds * 1000) {
        throw new Error(`cannot reach the database after ${seconds} s (${error.code || error.message})`)
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    } finally {
      await client.end().catch(() => {})
    }
  }
}

module.exports = { waitForDatabase }
