"use strict"

// The one JSON line a command answers with: on stdout and, when
// STOREFLEET_RESULT_FILE is set (a Job sets /dev/termination-log), in that file,
// where Kubernetes keeps it in the pod's status for the store role to read.
// Logs go to stderr. Nothing here ever includes DATABASE_URL or a password.
const fs = require("node:fs")

// A termination message holds at most 4096 bytes.
const MAX_LIST = 20

function answer(result) {
  const line = JSON.stringify(result)
  process.stdout.write(line + "\n")
  if (process.env.STOREFLEET_RESULT_FILE) {
    fs.writeFileSync(process.env.STOREFLEET_RESULT_FILE, line)
  }
}

// Answers {"error": ...} and exits with `code`.
function fail(tool, error, code = 1) {
  process.stderr.write(`${tool}: ${error.message}\n`)
  try {
    answer({ error: error.message })
  } finally {
    process.exit(code)
  }
}

function firstOf(list) {
  return list.slice(0, MAX_LIST)
}

module.exports = { answer, fail, firstOf }
