#!/usr/bin/env bash
# Assembles out/app, the directory the image runs: the output of medusa
# build, the dependencies the running store loads (production dependencies
# less the admin toolchain and what no command loads: slim-node-modules.js)
# and the entry point. Usage: STAMP.
# Its path must not contain "dist": Medusa 2.21 finds module models by
# that substring.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp="$1"
workspace=out/build
staging=out/app.tmp
rm -rf "$staging"
cp -a "$workspace/.medusa/server" "$staging"
# Hard links make the copy instant; the lock file npm rewrites during the
# prune is copied for real so the workspace install stays intact.
cp -al "$workspace/node_modules" "$staging/node_modules"
cp --remove-destination "$workspace/node_modules/.package-lock.json" \
  "$staging/node_modules/.package-lock.json"
rm -f "$staging/node_modules/.storefleet-stamp"
cp package-lock.json "$staging/package-lock.json"
(cd "$staging" && npm prune --omit=dev --no-audit --no-fund --loglevel=error)
node scripts/slim-node-modules.js "$staging"
cp -a bin "$staging/bin"
# Every migration run makes sure each module has a migrations folder; the
# empty ones are made here, so the app directory can stay read-only.
for module_dist in "$staging"/node_modules/@medusajs/*/dist; do
  mkdir -p "$module_dist/migrations"
done
echo "$stamp" > "$staging/.storefleet-stamp"
# Carry the snapshot over: make-snapshot.sh decides whether it is current.
if [[ -d out/app/snapshot ]]; then
  cp -a out/app/snapshot "$staging/snapshot"
fi
rm -rf out/app
mv "$staging" out/app
