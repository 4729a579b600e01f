"""The AWX stand-in as a process of its own, for Molecule's awx scenario:

    python -m tests.awx_server --port 18052 --report /tmp/awx-report.json

It serves until SIGTERM or SIGINT. After every request the report file holds what the
requests so far broke of AWX's contract (`violations`), the read-only fields they sent
that awx.awx is not known to send (`unexpected_ignored`), and how many requests changed
something (`writes`), as JSON.
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
from pathlib import Path

from tests.awx_server.server import AwxTestServer


def write_report(path: Path, server: AwxTestServer) -> None:
    report = {
        "violations": server.violations,
        "unexpected_ignored": server.unexpected_ignored(),
        "writes": len(server.writes()),
    }
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(report, indent=2))
    partial.replace(path)  # a reader never sees half a report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--report", type=Path, required=True)
    arguments = parser.parse_args()
    stop = threading.Event()
    for sign in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sign, lambda *_: stop.set())
    server = AwxTestServer(
        port=arguments.port, after_request=lambda s: write_report(arguments.report, s)
    )
    with server:
        write_report(arguments.report, server)
        print(f"AWX stand-in at {server.url}", flush=True)
        stop.wait()


if __name__ == "__main__":
    main()
