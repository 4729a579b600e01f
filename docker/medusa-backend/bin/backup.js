#!/usr/bin/env node
// Backs the store's database up: pg_dump (custom format) to
// $STOREFLEET_BACKUP_DIR/$STOREFLEET_BACKUP_NAME.dump, written under a
// temporary name and renamed once complete, never over an existing backup.
// With STOREFLEET_BACKUP_KEEP=N (N > 0) the oldest backups beyond N go.
// Answers {"backup", "bytes", "sha256", "removed"}.
"use strict"

const { spawnSync } = require("node:child_process")
const crypto = require("node:crypto")
const fs = require("node:fs")
const { answer, fail, firstOf } = require("./answer")
const { fileOf, listBackups, namedBackup } = require("./backups")
const { waitForDatabase } = require("./database-reachable")
const { pgEnvironment } = require("./pg-env")

function keepCount() {
  const text = process.env.STOREFLEET_BACKUP_KEEP || "0"
  if (!/^[0-9]+$/.test(text)) {
    throw new Error(`STOREFLEET_BACKUP_KEEP ${JSON.stringify(text)} is not a whole number`)
  }
  return Number(text)
}

function sha256Of(file) {
  const hash = crypto.createHash("sha256")
  const descriptor = fs.openSync(file, "r")
  try {
    const buffer = Buffer.alloc(1 << 20)
    let read
    while ((read = fs.readSync(descriptor, buffer, 0, buffer.length, null)) > 0) {
      hash.update(buffer.subarray(0, read))
    }
  } finally {
    fs.closeSync(descriptor)
  }
  return hash.digest("hex")
}

function dump(databaseUrl, file) {
  const env = pgEnvironment(databaseUrl)
  // Connection details and password travel in PG* variables, never in argv.
  const result = spawnSync(
    process.env.PG_DUMP || "pg_dump",
    ["--format=custom", "--no-owner", "--no-privileges", `--file=${file}`],
    { env: { ...process.env, ...env }, stdio: ["ignore", process.stderr, "pipe"] }
  )
  if (result.error) {
    throw result.error
  }
  const said = result.stderr.toString().trim()
  if (said) {
    process.stderr.write(`${said}\n`)
  }
  if (result.status !== 0) {
    // pg_dump's last words go into the answer (the Job's termination message): the pod's
    // log may be gone by the time someone reads why a backup failed. It never prints the
    // password, which travels in PGPASSWORD.
    const why = said.split("\n").pop()
    throw new Error(`pg_dump failed (exit ${result.status})${why ? `: ${why}` : ""}`)
  }
}

async function main() {
  const databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) {
    throw new Error("DATABASE_URL must be set")
  }
  const keep = keepCount()
  const { name, file } = namedBackup()
  if (fs.existsSync(file)) {
    throw new Error(`backup ${name} exists already; a backup is never overwritten`)
  }
  await waitForDatabase(databaseUrl, "backup")
  const partial = `${file}.partial`
  try {
    dump(databaseUrl, partial)
    fs.chmodSync(partial, 0o640)
    const descriptor = fs.openSync(partial, "r")
    fs.fsyncSync(descriptor)
    fs.closeSync(descriptor)
    fs.renameSync(partial, file)
  } finally {
    // Never let the clean-up hide why the dump failed.
    try {
      fs.rmSync(partial, { force: true })
    } catch {}
  }

  const removed = []
  if (keep > 0) {
    const names = listBackups()
    for (const old of names.slice(0, Math.max(0, names.length - keep))) {
      if (old !== name) {
        fs.rmSync(fileOf(old))
        removed.push(old)
      }
    }
  }
  const bytes = fs.statSync(file).size
  process.stderr.write(`backup: ${name} (${bytes} bytes), removed ${removed.length}\n`)
  answer({ backup: name, bytes, sha256: sha256Of(file), removed: firstOf(removed) })
}

main().catch((error) => fail("backup", error))
