"""Full garbage collections spaced out while a run comes in, Python's own after."""

from __future__ import annotations

import gc

from storefleet_tui.garbage import QUIET_SECONDS, SPARSER, FullCollections


def test_full_collections_are_sparser_while_a_run_grows_and_as_before_once_quiet() -> None:
    now = [100.0]
    collections = FullCollections(clock=lambda: now[0])
    before = gc.get_threshold()
    try:
        collections.hold()
        young, middle, oldest = before
        assert gc.get_threshold() == (young, middle, oldest * SPARSER)
        now[0] += QUIET_SECONDS / 2
        collections.hold()  # held again: still Python's own thresholds to go back to
        now[0] += QUIET_SECONDS / 2
        collections.release_when_quiet()
        assert collections.held, "quiet for half the time only"
        now[0] += QUIET_SECONDS
        collections.release_when_quiet()
        assert not collections.held
        assert gc.get_threshold() == before
    finally:
        collections.release()
    assert gc.get_threshold() == before
