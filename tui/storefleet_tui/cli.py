"""`storefleet`: open the TUI on an inventory."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from storefleet_tui.core.settings import SettingsError, load


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="storefleet", description="Create, watch and remove stores."
    )
    parser.add_argument("--inventory", "-i", help="local, prod, sandbox, or a path to an inventory")
    parser.add_argument(
        "--readonly",
        action="store_true",
        default=None,
        help="hide every action that changes the cluster",
    )
    parser.add_argument(
        "--artifacts-dir",
        type=Path,
        help="where run artifacts go (default: $XDG_STATE_HOME/storefleet/runs)",
    )
    parser.add_argument(
        "--awx",
        metavar="URL",
        help="run the playbooks as AWX job templates there (token: STOREFLEET_AWX_TOKEN)",
    )
    parser.add_argument(
        "--settings",
        type=Path,
        help="settings file (default: $XDG_CONFIG_HOME/storefleet/settings.yaml)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    try:
        settings = load(
            args.settings,
            inventory=args.inventory,
            readonly=args.readonly,
            artifacts_dir=args.artifacts_dir,
            awx_url=args.awx,
        )
        settings.inventory_path()
    except SettingsError as error:
        print(f"storefleet: {error}", file=sys.stderr)
        return 2
    # Textual loads in ~0.3 s: only once the arguments are known to be good.
    from storefleet_tui.app import StorefleetApp
    from storefleet_tui.core.backend import backend_for

    StorefleetApp(settings, backend_for(settings)).run()
    return 0
