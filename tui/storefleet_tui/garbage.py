"""Full garbage collections come ten times less often while a run comes in.

Python collects its oldest generation whenever that generation has grown by a quarter
since the last full collection. While a run streams in and its tree is drawn, the
model and the tree grow all the time: about every second a full collection walks
hundreds of thousands of live objects to free a few tens of thousands (50-150 ms of
CPU as the run grows, each a stall of the UI). So while the run grows, Python looks
at the oldest generation ten times less often: a stall every ten seconds or so
instead of every second, each longer (it frees more), and half the work in all. The
young generations, where most garbage dies, are collected as usual. Once the run has
been quiet for a moment, Python's own thresholds apply again.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

# Nothing came in or was drawn for this long: the run is over, or between tasks.
QUIET_SECONDS = 1.0
# How many times fewer full collections while a run comes in.
SPARSER = 10


class FullCollections:
    """Spaces Python's full collections out while a run comes in."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._thresholds: tuple[int, int, int] | None = None
        self._last_growth = 0.0

    @property
    def held(self) -> bool:
        return self._thresholds is not None

    def hold(self) -> None:
        """The run grew: full collections sparser until it has been quiet a while."""
        self._last_growth = self._clock()
        if self._thresholds is None:
            self._thresholds = gc.get_threshold()
            young, middle, oldest = self._thresholds
            gc.set_threshold(young, middle, oldest * SPARSER)

    def release_when_quiet(self) -> None:
        if self.held and self._clock() - self._last_growth >= QUIET_SECONDS:
            self.release()

    def release(self) -> None:
        """Python's own thresholds again."""
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None


# Collections are the process's, not an app's: one for them all.
full_collections = FullCollections()
