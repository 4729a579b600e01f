"use strict"

// The backups directory (a volume in a store): one <name>.dump per backup,
// named <yyyymmdd>-<hhmmss>-<reason>, so sorting by name sorts by age.
const fs = require("node:fs")
const path = require("node:path")

const NAME = /^[0-9]{8}-[0-9]{6}-[a-z]+(-[a-z]+)*$/
const SUFFIX = ".dump"

function backupDir() {
  const dir = process.env.STOREFLEET_BACKUP_DIR
  if (!dir) {
    throw new Error("STOREFLEET_BACKUP_DIR must be set")
  }
  return dir
}

// The backup named by STOREFLEET_BACKUP_NAME: {name, file}.
function namedBackup() {
  const name = process.env.STOREFLEET_BACKUP_NAME || ""
  if (!NAME.test(name)) {
    throw new Error(
      `STOREFLEET_BACKUP_NAME ${JSON.stringify(name)} is not <yyyymmdd>-<hhmmss>-<reason>`
    )
  }
  return { name, file: path.join(backupDir(), name + SUFFIX) }
}

// Names of the backups in the directory, oldest first.
function listBackups() {
  return fs
    .readdirSync(backupDir())
    .filter((entry) => entry.endsWith(SUFFIX) && NAME.test(entry.slice(0, -SUFFIX.length)))
    .map((entry) => entry.slice(0, -SUFFIX.length))
    .sort()
}

function fileOf(name) {
  return path.join(backupDir(), name + SUFFIX)
}

module.exports = { NAME, listBackups, namedBackup, fileOf }
