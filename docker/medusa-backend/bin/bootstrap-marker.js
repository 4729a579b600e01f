"use strict"

// What a successful bootstrap leaves in a store's database.
//   MARKER_TABLE  written last by a seed and part of the prepared snapshot (restored in
//                 one transaction): the database holds a store.
//   BUILDS_TABLE  one row per app build whose migrations have run on the database: a
//                 later bootstrap of the same build has nothing to migrate.
const fs = require("node:fs")
const path = require("node:path")

const MARKER_TABLE = "storefleet_bootstrap"
const BUILDS_TABLE = "storefleet_builds"
// build.sh writes the hash of the app's inputs here (prepare-production-dir.sh).
const BUILD_FILE = path.resolve(__dirname, "..", ".storefleet-stamp")

// This image's app build, or null for an app assembled without build.sh.
function currentBuild() {
  try {
    return fs.readFileSync(BUILD_FILE, "utf8").trim() || null
  } catch (error) {
    if (error.code === "ENOENT") {
      return null
    }
    throw error
  }
}

async function bootstrapState(client, build) {
  const { rows } = await client.query(
    `SELECT to_regclass($1) IS NOT NULL AS marked, to_regclass($2) IS NOT NULL AS has_builds`,
    [`public.${MARKER_TABLE}`, `public.${BUILDS_TABLE}`]
  )
  const { marked, has_builds: hasBuilds } = rows[0]
  let built = false
  if (build && hasBuilds) {
    const found = await client.query(`SELECT 1 FROM ${BUILDS_TABLE} WHERE build = $1`, [build])
    built = found.rowCount > 0
  }
  return { marked, built }
}

async function recordBuild(client, build) {
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${BUILDS_TABLE} (
       build text PRIMARY KEY,
       bootstrapped_at timestamptz NOT NULL DEFAULT now())`
  )
  await client.query(`INSERT INTO ${BUILDS_TABLE} (build) VALUES ($1) ON CONFLICT DO NOTHING`, [
    build,
  ])
}

module.exports = { MARKER_TABLE, BUILDS_TABLE, currentBuild, bootstrapState, recordBuild }
