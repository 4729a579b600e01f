#!/usr/bin/env bash
# Runs a command with SNAPSHOT_DATABASE_URL set to a throwaway PostgreSQL
# server on a free loopback port; the server and its files go afterwards.
set -euo pipefail

pg_bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
workdir=$(mktemp -d -t storefleet-pg.XXXXXX)
as_owner=()
# PostgreSQL refuses to run as root.
if [[ $(id -u) == 0 ]]; then
  owner=$(id -u postgres >/dev/null 2>&1 && echo postgres || echo nobody)
  chown "$owner" "$workdir"
  as_owner=(runuser -u "$owner" --)
fi

stop() {
  "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap stop EXIT

port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close() })')
"${as_owner[@]}" "$pg_bin/initdb" -D "$workdir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
"${as_owner[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w -s \
  -o "-p $port -k $workdir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start

SNAPSHOT_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres" "$@"
