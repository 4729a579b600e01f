#!/usr/bin/env python3
"""Sandbox cluster start-up: cold (page cache dropped, when allowed) and warm starts.

Start = from nothing to a control plane answering /readyz with every simulated node
Ready and the storage provisioner running; stop = until no process is left.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from storefleet_sandbox import Sandbox

WARM_RUNS = 3


def drop_page_cache() -> bool:
    """Make the next start read its binaries from disk; needs root and a writable /proc."""
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


def timed_start_stop(directory: Path) -> tuple[float, float]:
    sandbox = Sandbox(directory)
    started = time.monotonic()
    sandbox.start()
    start_time = time.monotonic() - started
    stopped = time.monotonic()
    sandbox.stop()
    return start_time, time.monotonic() - stopped


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="sandbox-bench-") as tmp:
        dropped = drop_page_cache()
        cold, cold_stop = timed_start_stop(Path(tmp) / "cold")
        warm = [timed_start_stop(Path(tmp) / f"warm-{i}") for i in range(WARM_RUNS)]
    starts = [start for start, _ in warm]
    stops = [stop for _, stop in warm]
    print(f"{'measure':<34}{'seconds':>10}")
    label = "cold start (page cache dropped)" if dropped else "cold start (first start)"
    print(f"{label:<34}{cold:>10.2f}")
    print(f"{f'warm start, median of {WARM_RUNS}':<34}{statistics.median(starts):>10.2f}")
    print(f"{'warm start, min':<34}{min(starts):>10.2f}")
    print(f"{'stop, median':<34}{statistics.median([cold_stop, *stops]):>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
