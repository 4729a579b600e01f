"""The project's shared folder: upstream manifests the tests need offline."""

from __future__ import annotations

import os
from pathlib import Path

from storefleet_sandbox.client import REPO_ROOT

# It sits beside the checkout (as in CI); STOREFLEET_SHARED_DIR overrides.
SHARED_DIR = Path(os.environ.get("STOREFLEET_SHARED_DIR", REPO_ROOT.parent / "shared"))
ARGO_INSTALL_MANIFEST = SHARED_DIR / "vendor" / "argo-workflows" / "install-v4.1.2.yaml"
# Recorded from a real AWX 24.6.1: its API schema and responses (see its README).
AWX_RECORDED_DIR = SHARED_DIR / "awx-24.6.1"
