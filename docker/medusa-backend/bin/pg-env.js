"use strict"

// libpq tools (pg_restore, pg_dump) read these variables, which keeps the
// password out of the process list that a command-line URL would expose.
function pgEnvironment(databaseUrl) {
  const url = new URL(databaseUrl)
  const env = {
    PGHOST: url.searchParams.get("host") || decodeURIComponent(url.hostname) || "localhost",
    PGPORT: url.port || "5432",
    PGDATABASE: decodeURIComponent(url.pathname.slice(1)),
    PGUSER: decodeURIComponent(url.username),
    PGPASSWORD: decodeURIComponent(url.password),
  }
  const sslmode = url.searchParams.get("sslmode")
  if (sslmode) {
    env.PGSSLMODE = sslmode
  }
  for (const key of Object.keys(env)) {
    if (!env[key]) {
      delete env[key]
    }
  }
  return env
}

module.exports = { pgEnvironment }
