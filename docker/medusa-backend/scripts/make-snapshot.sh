#!/usr/bin/env bash
# Produces the prepared database snapshot out/app/snapshot/medusa.dump:
# a throwaway database migrated and seeded, then dumped (pg_dump -Fc). It
# holds no admin user and no publishable key, so every store restored from it
# still gets credentials of its own.
# SNAPSHOT_DATABASE_URL may point at a server where a scratch database can be
# created; without it a throwaway PostgreSQL is started on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
source ../build-lib/steps.sh

snapshot_hash=$(hash_of package-lock.json medusa-config.ts src bin/bootstrap.js bin/bootstrap-marker.js \
  scripts/dump-snapshot.js scripts/slim-node-modules.js)
if [[ "$(read_stamp out/app/snapshot/.storefleet-stamp)" == "$snapshot_hash" ]]; then
  step "snapshot up to date"
  exit 0
fi
if [[ -z "${SNAPSHOT_DATABASE_URL:-}" ]]; then
  exec scripts/with-throwaway-postgres.sh "$0"
fi

step "making the database snapshot (migrate + seed + pg_dump)"
node scripts/dump-snapshot.js out/app/snapshot/medusa.dump
echo "$snapshot_hash" > out/app/snapshot/.storefleet-stamp
