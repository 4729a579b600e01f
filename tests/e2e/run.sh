#!/usr/bin/env bash
# `make e2e`: builds the store app as its images do (or takes the build of the
# same sources from the machine-wide build cache), then drives it in headless
# Chromium.
# Needs the Debian packages postgresql, redis-server and chromium.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

tests/e2e/cached-build.sh medusa-backend
tests/e2e/cached-build.sh medusa-storefront
exec "${VENV:-.venv}/bin/pytest" tests/e2e "$@"
