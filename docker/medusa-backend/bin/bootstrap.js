#!/usr/bin/env node
// Brings a store's database to the image's schema, the fast way when it can:
//   empty database     -> restore the prepared snapshot (no snapshot: migrate + seed)
//   non-empty database -> apply pending migrations (and finish an interrupted seed),
//                         nothing when this app build has been bootstrapped here before
// Then records this build (bootstrap-marker.js), so another revision of it (a settings
// change, a rollback to it) has nothing to migrate.
// Prints one JSON line {"action": ...} on stdout; all logs go to stderr.
"use strict"

const { spawnSync } = require("node:child_process")
const fs = require("node:fs")
const path = require("node:path")
const { Client } = require("pg")
const { MARKER_TABLE, bootstrapState, currentBuild, recordBuild } = require("./bootstrap-marker")
const { pgEnvironment } = require("./pg-env")

const APP_DIR = path.resolve(__dirname, "..")
const MEDUSA = path.join(APP_DIR, "node_modules", ".bin", "medusa")
const SNAPSHOT = process.env.MEDUSA_SNAPSHOT_PATH || path.join(APP_DIR, "snapshot", "medusa.dump")
// The marker is written last by a successful seed, so a seed cut short is finished
// on the next run.

function log(message) {
  process.stderr.write(`bootstrap: ${message}\n`)
}

function run(command, args, env) {
  const started = Date.now()
  const result = spawnSync(command, args, {
    cwd: APP_DIR,
    env: { ...process.env, ...env },
    // Child output is for operators, stdout is reserved for the JSON answer.
    stdio: ["ignore", process.stderr, process.stderr],
  })
  if (result.error) {
    throw result.error
  }
  if (result.status !== 0) {
    throw new Error(`${path.basename(command)} ${args[0]} failed (exit ${result.status})`)
  }
  log(`${path.basename(command)} ${args[0]} took ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

async function withClient(connectionString, fn) {
  const client = new Client({ connectionString })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

// A store's Postgres may start with only its maintenance database.
async function ensureDatabase(databaseUrl) {
  const url = new URL(databaseUrl)
  const name = decodeURIComponent(url.pathname.slice(1))
  try {
    await withClient(databaseUrl, async () => undefined)
    return
  } catch (error) {
    if (error.code !== "3D000") {
      throw error
    }
  }
  url.pathname = "/postgres"
  await withClient(url.toString(), (client) =>
    client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`)
  )
  log(`created database ${name}`)
}

async function inspect(databaseUrl, build) {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query(
      `SELECT count(*)::int AS tables
         FROM information_schema.tables
        WHERE table_schema = 'public'`
    )
    const { marked, built } = await bootstrapState(client, build)
    return { empty: rows[0].tables === 0, seeded: marked, built }
  })
}

async function markSeeded(databaseUrl) {
  await withClient(databaseUrl, (client) =>
    client.query(
      `CREATE TABLE IF NOT EXISTS ${MARKER_TABLE} (seeded_at timestamptz NOT NULL DEFAULT now())`
    )
  )
}

function migrate() {
  run(MEDUSA, ["db:migrate", "--execute-safe-links", "--execute-safe-search"])
}

function seed() {
  run(MEDUSA, ["exec", "./src/scripts/seed.js"])
}

// MEDUSA_SEED_DEMO_DATA=false: a new store starts without the demo products.
function wantsDemoData() {
  return (process.env.MEDUSA_SEED_DEMO_DATA || "true").toLowerCase() !== "false"
}

function removeDemoCatalogue() {
  run(MEDUSA, ["exec", "./src/scripts/remove-demo-catalogue.js"])
}

function restore(databaseUrl) {
  // Connection details and password travel in PG* variables; only the
  // database name is on the command line (pg_restore insists on one).
  const env = pgEnvironment(databaseUrl)
  run(
    process.env.PG_RESTORE || "pg_restore",
    [
      "--exit-on-error",
      "--single-transaction",
      "--no-owner",
      "--no-privileges",
      `--dbname=${env.PGDATABASE}`,
      SNAPSHOT,
    ],
    env
  )
}

async function main() {
  const databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) {
    throw new Error("DATABASE_URL must be set")
  }
  process.env.NODE_ENV = process.env.NODE_ENV || "production"
  process.env.MEDUSA_DISABLE_TELEMETRY = process.env.MEDUSA_DISABLE_TELEMETRY || "true"

  const build = currentBuild()
  await ensureDatabase(databaseUrl)
  const { empty, seeded, built } = await inspect(databaseUrl, build)
  let action
  if (seeded && built) {
    // Another revision of the same build (a settings change, a rollback to it):
    // its migrations ran here already.
    action = "up_to_date"
  } else if (empty && fs.existsSync(SNAPSHOT)) {
    restore(databaseUrl)
    action = "restore"
  } else if (empty) {
    migrate()
    seed()
    await markSeeded(databaseUrl)
    action = "migrate_and_seed"
  } else {
    migrate()
    action = "migrate"
    if (!seeded) {
      seed()
      await markSeeded(databaseUrl)
      action = "migrate_and_seed"
    }
  }
  if (build) {
    await withClient(databaseUrl, (client) => recordBuild(client, build))
  }
  // Only a database this run filled: an existing store's catalogue is its owner's.
  const result = { action }
  if ((action === "restore" || action === "migrate_and_seed") && !wantsDemoData()) {
    removeDemoCatalogue()
    result.demo_data = false
  }
  process.stdout.write(JSON.stringify(result) + "\n")
}

main().catch((error) => {
  log(error.message)
  process.exit(1)
})
