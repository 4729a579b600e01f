#!/usr/bin/env node
// May this image run on the store's database? Compares the migrations the
// database has applied with those this image ships:
//   module migrations   mikro_orm_migrations.name   node_modules/@medusajs/*/dist/migrations
//   migration scripts   script_migrations.script_name   @medusajs/medusa/dist/migration-scripts
// An applied migration the image does not know means the schema is newer than
// the image supports (a rollback past a migration): exit 3. Link tables are
// left out: a release ignores links it does not define (db:migrate removes
// none without --execute-all-links).
// Answers {"compatible", "applied", "known", "unknown", "unknown_count"}.
"use strict"

const fs = require("node:fs")
const path = require("node:path")
const { Client } = require("pg")
const { answer, fail, firstOf } = require("./answer")
const { waitForDatabase } = require("./database-reachable")

const APP_DIR = path.resolve(__dirname, "..")
const MODULES = path.join(APP_DIR, "node_modules", "@medusajs")
const SCRIPTS = path.join(MODULES, "medusa", "dist", "migration-scripts")
const NEWER = 3

function scripts(dir) {
  if (!fs.existsSync(dir)) {
    return []
  }
  return fs
    .readdirSync(dir)
    .filter((entry) => entry.endsWith(".js"))
    .map((entry) => entry.slice(0, -".js".length))
}

// What this image knows, by kind, as the names the tracking tables record.
function known() {
  const migrations = new Set()
  for (const module of fs.readdirSync(MODULES)) {
    for (const name of scripts(path.join(MODULES, module, "dist", "migrations"))) {
      migrations.add(name)
    }
  }
  const migrationScripts = new Set(scripts(SCRIPTS).map((name) => `${name}.js`))
  return { migrations, migrationScripts }
}

async function applied(client) {
  const { rows } = await client.query(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public'
        AND table_name IN ('mikro_orm_migrations', 'script_migrations')`
  )
  const tables = new Set(rows.map((row) => row.table_name))
  const names = async (sql) => (await client.query(sql)).rows.map((row) => row.name)
  return {
    migrations: tables.has("mikro_orm_migrations")
      ? await names("SELECT name FROM mikro_orm_migrations")
      : [],
    migrationScripts: tables.has("script_migrations")
      ? await names("SELECT script_name AS name FROM script_migrations")
      : [],
  }
}

async function main() {
  const databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) {
    throw new Error("DATABASE_URL must be set")
  }
  const image = known()
  await waitForDatabase(databaseUrl, "schema-check")
  const client = new Client({ connectionString: databaseUrl })
  await client.connect()
  let database
  try {
    database = await applied(client)
  } finally {
    await client.end()
  }
  const unknown = [
    ...database.migrations.filter((name) => !image.migrations.has(name)),
    ...database.migrationScripts.filter((name) => !image.migrationScripts.has(name)),
  ].sort()
  const compatible = unknown.length === 0
  answer({
    compatible,
    applied: database.migrations.length + database.migrationScripts.length,
    known: image.migrations.size + image.migrationScripts.size,
    unknown: firstOf(unknown),
    unknown_count: unknown.length,
  })
  if (!compatible) {
    process.stderr.write(
      `schema-check: the database has ${unknown.length} migration(s) this image does not know\n`
    )
    process.exit(NEWER)
  }
}

main().catch((error) => fail("schema-check", error))
