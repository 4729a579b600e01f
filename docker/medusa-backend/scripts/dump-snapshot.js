// Migrates and seeds a scratch database through the entry point, checks it
// carries no per-store credential, dumps it to the path given as argument,
// and drops it. Needs SNAPSHOT_DATABASE_URL (a server that allows CREATE DATABASE).
"use strict"

const { spawnSync } = require("node:child_process")
const fs = require("node:fs")
const { createRequire } = require("node:module")
const path = require("node:path")

const APP_DIR = path.resolve(__dirname, "..", "out", "app")
// pg and the helpers come from the built app, the copy the image runs.
const appRequire = createRequire(path.join(APP_DIR, "package.json"))
const { Client } = appRequire("pg")
const { pgEnvironment } = appRequire("./bin/pg-env")

function check(result, what) {
  if (result.error) throw result.error
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status})`)
}

async function query(url, sql) {
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(sql)).rows
  } finally {
    await client.end()
  }
}

async function main() {
  const output = path.resolve(process.argv[2])
  const server = new URL(process.env.SNAPSHOT_DATABASE_URL)
  const name = `storefleet_snapshot_${process.pid}`
  const scratch = new URL(server)
  scratch.pathname = `/${name}`

  try {
    check(
      spawnSync(path.join(APP_DIR, "bin", "storefleet-medusa"), ["bootstrap"], {
        env: {
          ...process.env,
          DATABASE_URL: scratch.toString(),
          // Force the migrate + seed path, whatever snapshot is on disk.
          MEDUSA_SNAPSHOT_PATH: "/nonexistent",
        },
        stdio: ["ignore", "inherit", "inherit"],
      }),
      "bootstrap"
    )
    // Medusa creates a default publishable key whenever it loads without
    // one; drop it so each restored store gets its own on first load.
    await query(
      scratch.toString(),
      "BEGIN; DELETE FROM publishable_api_key_sales_channel; DELETE FROM api_key; COMMIT"
    )
    const [counts] = await query(
      scratch.toString(),
      `SELECT (SELECT count(*) FROM "user")::int AS users,
              (SELECT count(*) FROM api_key)::int AS api_keys,
              (SELECT count(*) FROM auth_identity)::int AS identities`
    )
    if (counts.users || counts.api_keys || counts.identities) {
      throw new Error(`snapshot would carry credentials: ${JSON.stringify(counts)}`)
    }
    fs.mkdirSync(path.dirname(output), { recursive: true })
    check(
      spawnSync(
        process.env.PG_DUMP || "pg_dump",
        ["--format=custom", "--no-owner", "--no-privileges", `--file=${output}.tmp`],
        { env: { ...process.env, ...pgEnvironment(scratch.toString()) }, stdio: "inherit" }
      ),
      "pg_dump"
    )
    fs.renameSync(`${output}.tmp`, output)
    console.error(`snapshot: ${output} (${fs.statSync(output).size} bytes)`)
  } finally {
    await query(server.toString(), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
  }
}

main().catch((error) => {
  console.error(`snapshot: ${error.message}`)
  process.exit(1)
})
