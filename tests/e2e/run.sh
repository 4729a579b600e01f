#!/usr/bin/env bash
# `make e2e`: builds the store app as its images do (each step skipped when
# its inputs did not change), then drives it in headless Chromium.
# Needs the Debian packages postgresql, redis-server and chromium.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

docker/medusa-backend/build.sh
docker/medusa-storefront/build.sh
exec "${VENV:-.venv}/bin/pytest" tests/e2e "$@"
