#!/usr/bin/env bash
# Builds the store backend exactly as the image does (the Dockerfile runs
# this script):
#   sources -> out/build (workspace: npm ci, medusa build with the admin)
#           -> out/app   (what the image runs: built app, production
#                         node_modules, entry point, prepared snapshot)
# out/app is a sibling of the workspace, never below a node_modules of the
# build, so it resolves modules exactly as it does in the image at /app.
# Each step is skipped when the hash of its inputs matches the stamp left by
# its last successful run, so re-runs are fast.
set -euo pipefail
cd "$(dirname "$0")"
source ../build-lib/steps.sh

if [[ -d node_modules ]]; then
  echo "build.sh: remove $(pwd)/node_modules: out/app would resolve modules from it" >&2
  exit 1
fi

workspace=out/build
mkdir -p "$workspace"
# The workspace mirrors the sources (removed files go too).
rm -rf "$workspace/src"
cp -a package.json package-lock.json medusa-config.ts tsconfig.json src "$workspace/"

deps_hash=$(hash_of package.json package-lock.json)
if [[ "$(read_stamp "$workspace/node_modules/.storefleet-stamp")" != "$deps_hash" ]]; then
  step "installing dependencies (npm ci)"
  (cd "$workspace" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$deps_hash" > "$workspace/node_modules/.storefleet-stamp"
else
  step "dependencies up to date"
fi

app_hash=$(hash_of package.json package-lock.json medusa-config.ts tsconfig.json src bin \
  scripts/prepare-production-dir.sh scripts/slim-node-modules.js)
if [[ "$(read_stamp out/app/.storefleet-stamp)" != "$app_hash" ]]; then
  step "building the app and admin dashboard (medusa build)"
  # Store-specific settings must not leak into the build: the dashboard is
  # built for a same-origin backend and the worker/admin switches are read
  # at run time.
  (cd "$workspace" && env -u MEDUSA_WORKER_MODE -u MEDUSA_ADMIN_DISABLED -u MEDUSA_BACKEND_URL \
    NODE_OPTIONS=--max-old-space-size=4096 MEDUSA_DISABLE_TELEMETRY=true \
    ./node_modules/.bin/medusa build)
  step "preparing the production directory out/app"
  ./scripts/prepare-production-dir.sh "$app_hash"
else
  step "app build up to date"
fi

./scripts/make-snapshot.sh
