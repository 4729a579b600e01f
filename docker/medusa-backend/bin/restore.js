#!/usr/bin/env node
// Replaces the store's database with the backup $STOREFLEET_BACKUP_NAME from
// $STOREFLEET_BACKUP_DIR, in one transaction: schema public dropped and
// recreated, then the backup's objects and rows, so tables a newer release
// added go too. Any error, in pg_restore or in the SQL, rolls all of it back. The backend and worker must
// be stopped first (the store role scales them to zero).
// Answers {"restored", "bytes"}.
"use strict"

const { spawn, spawnSync } = require("node:child_process")
const fs = require("node:fs")
const { answer, fail, firstOf } = require("./answer")
const { listBackups, namedBackup } = require("./backups")
const { waitForDatabase } = require("./database-reachable")
const { pgEnvironment } = require("./pg-env")

const PG_RESTORE = process.env.PG_RESTORE || "pg_restore"
const PSQL = process.env.PSQL || "psql"
// One transaction, committed only after pg_restore finished well: psql reaching the
// end of its input inside an open transaction rolls it back.
const BEGIN = "BEGIN;\nDROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"
const COMMIT = "COMMIT;\n"

function exited(child, what) {
  return new Promise((resolve, reject) => {
    child.on("error", reject)
    child.on("close", (code, signal) => {
      if (code === 0) {
        resolve()
      } else {
        reject(new Error(`${what} failed (${signal ? `signal ${signal}` : `exit ${code}`})`))
      }
    })
  })
}

// A damaged or foreign file is refused before the database is touched.
function checkArchive(file) {
  const result = spawnSync(PG_RESTORE, ["--list", file], {
    stdio: ["ignore", "ignore", process.stderr],
  })
  if (result.error) {
    throw result.error
  }
  if (result.status !== 0) {
    throw new Error(`the backup file is not a pg_dump archive pg_restore can read`)
  }
}

async function main() {
  const databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) {
    throw new Error("DATABASE_URL must be set")
  }
  const { name, file } = namedBackup()
  if (!fs.existsSync(file)) {
    const have = listBackups()
    throw new Error(
      `no backup ${name} on the backups volume (it has: ${firstOf(have).join(", ") || "none"})`
    )
  }
  await waitForDatabase(databaseUrl, "restore")
  checkArchive(file)

  const env = { ...process.env, ...pgEnvironment(databaseUrl) }
  // pg_restore turns the archive into SQL; psql runs it between BEGIN and COMMIT,
  // keeping quiet about query results and the long NOTICE of the cascading drop.
  const psql = spawn(
    PSQL,
    ["--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--output=/dev/null", "--file=-"],
    {
      env: { ...env, PGOPTIONS: "-c client_min_messages=warning" },
      stdio: ["pipe", process.stderr, process.stderr],
    }
  )
  const psqlDone = exited(psql, "psql")
  // psql stops reading at its first error: a closed pipe is its answer, not ours.
  psql.stdin.on("error", () => undefined)
  psql.stdin.write(BEGIN)
  const restore = spawn(PG_RESTORE, ["--no-owner", "--no-privileges", "--file=-", file], {
    env,
    stdio: ["ignore", "pipe", process.stderr],
  })
  restore.stdout.pipe(psql.stdin, { end: false })
  try {
    await exited(restore, "pg_restore")
    psql.stdin.end(COMMIT)
  } catch (error) {
    psql.stdin.end()
    await psqlDone.catch(() => undefined)
    throw error
  }
  await psqlDone

  const bytes = fs.statSync(file).size
  process.stderr.write(`restore: ${name} (${bytes} bytes) restored\n`)
  answer({ restored: name, bytes })
}

main().catch((error) => fail("restore", error))
