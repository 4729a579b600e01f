#!/usr/bin/env node
// Waits until the store's database has been bootstrapped (see bootstrap-marker.js),
// so the server, the worker and the admin Job start on a ready database instead of
// failing on missing tables while the bootstrap Job still restores it. Runs as
// their init container: a plain PostgreSQL query each second, Medusa not loaded.
// It waits for a bootstrapped store, not for this build's migrations: an upgrade's
// new pods hold their CPU requests while they wait, and on a full node the bootstrap
// Job that would end the wait could then never be scheduled.
// STOREFLEET_WAIT_SECONDS (default 600) bounds the wait; exit 1 when it runs out
// or when the database refuses the store's credentials.
"use strict"

const { Client } = require("pg")
const { MARKER_TABLE } = require("./bootstrap-marker")

const POLL_MS = 1000
const REPORT_EVERY_MS = 30000
// Errors that waiting does not cure.
const FATAL_CODES = new Set(["28P01", "28000"]) // wrong password, no such role

function log(message) {
  process.stderr.write(`wait-for-bootstrap: ${message}\n`)
}

async function bootstrapped(databaseUrl) {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 })
  await client.connect()
  try {
    const { rows } = await client.query("SELECT to_regclass($1) IS NOT NULL AS ready", [
      `public.${MARKER_TABLE}`,
    ])
    return rows[0].ready
  } finally {
    await client.end()
  }
}

async function main() {
  const databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) {
    throw new Error("DATABASE_URL must be set")
  }
  const limitSeconds = Number(process.env.STOREFLEET_WAIT_SECONDS || "600")
  if (!Number.isInteger(limitSeconds) || limitSeconds <= 0) {
    throw new Error("STOREFLEET_WAIT_SECONDS must be a positive whole number of seconds")
  }
  const started = Date.now()
  let lastReport = started
  let waitingFor = "the database"
  for (;;) {
    try {
      if (await bootstrapped(databaseUrl)) {
        log(`database ready after ${((Date.now() - started) / 1000).toFixed(1)} s`)
        return
      }
      waitingFor = "the bootstrap Job"
    } catch (error) {
      if (FATAL_CODES.has(error.code)) {
        throw error
      }
      // Not up yet, or the database not created yet (3D000): the bootstrap Job's work.
      waitingFor = `the database (${error.code || error.message})`
    }
    const now = Date.now()
    if (now - started >= limitSeconds * 1000) {
      throw new Error(`still waiting for ${waitingFor} after ${limitSeconds} s`)
    }
    if (now - lastReport >= REPORT_EVERY_MS) {
      log(`waiting for ${waitingFor}`)
      lastReport = now
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

main().catch((error) => {
  log(error.message)
  process.exit(1)
})
