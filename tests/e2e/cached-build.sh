#!/usr/bin/env bash
# Usage: tests/e2e/cached-build.sh <app>   (medusa-backend, medusa-storefront)
#
# Leaves docker/<app>/out/app as docker/<app>/build.sh makes it, taking it from the
# machine-wide build cache when the same sources were built before (a fresh clone then
# skips npm ci and the app build). The cache key hashes every source file of the app and
# of build-lib with the Node.js version. The image builds run build.sh itself (this
# script lives here, not in docker/, so that it is not an input of their content tags).
set -euo pipefail
app=${1:?usage: cached-build.sh <app>}
cd "$(dirname "${BASH_SOURCE[0]}")/../../docker"
source build-lib/steps.sh

cache_root=${STOREFLEET_BUILD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/storefleet/builds}
# How many builds of one app the cache keeps (the newest).
keep=3

mapfile -d '' sources < <(find build-lib "$app" \( -name out -o -name node_modules \) -prune \
  -o -type f -print0)
key=$(hash_of "${sources[@]}")
entry=$cache_root/$app-$key
out=$app/out

if [[ "$(read_stamp "$out/.storefleet-cache-key")" == "$key" && -d $out/app ]]; then
  step "$app: out/app built from these sources"
  exit 0
fi

if [[ -f $entry/.complete ]]; then
  step "$app: out/app from the build cache ($entry)"
  mkdir -p "$out"
  rm -rf "$out/app.tmp"
  cp -a "$entry/app" "$out/app.tmp"
  rm -rf "$out/app"
  mv "$out/app.tmp" "$out/app"
  touch "$entry"
else
  "$app/build.sh"
  step "$app: saving out/app in the build cache ($entry)"
  mkdir -p "$cache_root"
  rm -rf "$entry.tmp"
  mkdir "$entry.tmp"
  cp -a "$out/app" "$entry.tmp/app"
  touch "$entry.tmp/.complete"
  rm -rf "$entry"
  mv "$entry.tmp" "$entry"
  # Only the newest builds of this app stay.
  ls -dt "$cache_root/$app"-* | grep -v '\.tmp$' | tail -n +$((keep + 1)) | xargs -r rm -rf
fi
echo "$key" > "$out/.storefleet-cache-key"
