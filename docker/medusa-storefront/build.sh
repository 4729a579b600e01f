#!/usr/bin/env bash
# Builds the storefront exactly as the image does (the Dockerfile runs this
# script):
#   sources -> out/build (workspace: npm ci, next build, standalone output)
#           -> out/app   (what the image runs with `node server.js`)
# out/app is a sibling of the workspace, never below a node_modules of the
# build, so a module missing from the standalone output fails here as it
# would in the image. Nothing store-specific is baked in. Each step is
# skipped when the hash of its inputs matches the stamp of its last run.
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
cp -a package.json package-lock.json next.config.ts tsconfig.json src "$workspace/"

deps_hash=$(hash_of package.json package-lock.json)
if [[ "$(read_stamp "$workspace/node_modules/.storefleet-stamp")" != "$deps_hash" ]]; then
  step "installing dependencies (npm ci)"
  (cd "$workspace" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$deps_hash" > "$workspace/node_modules/.storefleet-stamp"
else
  step "dependencies up to date"
fi

app_hash=$(hash_of package.json package-lock.json next.config.ts tsconfig.json src)
if [[ "$(read_stamp out/app/.storefleet-stamp)" == "$app_hash" ]]; then
  step "storefront build up to date"
  exit 0
fi

step "building the storefront (next build)"
# Per-store values must never be baked in at build time.
(cd "$workspace" && env -u MEDUSA_BACKEND_URL -u MEDUSA_PUBLISHABLE_KEY NEXT_TELEMETRY_DISABLED=1 \
  ./node_modules/.bin/next build)

step "assembling out/app"
rm -rf out/app.tmp
cp -a "$workspace/.next/standalone" out/app.tmp
# The standalone server leaves static assets to be copied beside it.
cp -a "$workspace/.next/static" out/app.tmp/.next/static
if [[ -d public ]]; then
  cp -a public out/app.tmp/public
fi
echo "$app_hash" > out/app.tmp/.storefleet-stamp
rm -rf out/app
mv out/app.tmp out/app
