"""`python -m storefleet_tui` is the same as the `storefleet` command."""

import sys

from storefleet_tui.cli import main

sys.exit(main())
