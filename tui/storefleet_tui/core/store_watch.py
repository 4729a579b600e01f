"""Follow the Store objects: list, then watch; after any error, say so and reconnect.

An API server restart, a reset connection, a 5xx, a refused request or a watch that
ends as soon as it starts all end the same way: a `RECONNECTING` change (why, and when
the next try is), a pause that doubles with each failure in a row, then a fresh list
(changes may have been missed) and a new watch. An expired resource version (410 Gone)
is routine: relist at once. A quiet watch idles in short reads, so `stop` is noticed
within a second; an idle read resumes from the last resource version seen, no relist.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kubernetes import watch
from kubernetes.client.exceptions import ApiException
from urllib3.exceptions import MaxRetryError, ProtocolError, ReadTimeoutError

from storefleet_tui.core.stores import GROUP, PLURAL, SYSTEM_NAMESPACE, VERSION, Store, StoreChange

ChangeSink = Callable[[StoreChange], None]
# The API server ends a watch after this long (timeoutSeconds); it is then resumed.
WATCH_SECONDS = 60
CONNECT_SECONDS = 5.0
# A watch read waits this long for data: how soon `stop` is noticed.
IDLE_READ_SECONDS = 1.0
# A list that has not answered by then is treated as a broken connection.
LIST_SECONDS = 30.0


@dataclass(frozen=True)
class Backoff:
    """Seconds to wait before the next try: `first`, doubling per failure, at most `most`."""

    first: float = 0.5
    most: float = 30.0

    def delay(self, failures: int) -> float:
        return float(min(self.most, self.first * 2 ** max(failures - 1, 0)))


class WatchEndedAtOnce(RuntimeError):
    """The API server ended a watch before it could idle or deliver anything."""


def describe(error: BaseException) -> str:
    """A short reason for the context bar: the HTTP status, or what the connection did."""
    if isinstance(error, ApiException):
        said = f"{error.status} {error.reason}".strip()
        # Stores are listed in a fixed namespace: a 404 means the CRD is not installed.
        return said + (" (no Store CRD: set up the platform)" if error.status == 404 else "")
    if isinstance(error, WatchEndedAtOnce):
        return str(error)
    if isinstance(error, MaxRetryError) and error.reason is not None:
        return describe(error.reason)
    if isinstance(error, ProtocolError):
        return f"connection broken ({_cause(error)})"
    text = str(error)
    told = _OS_ERROR.search(text)  # what the operating system said, without urllib3's repr
    if told:
        return told.group(1).strip().lower()
    return f"{type(error).__name__}: {text}"[:200]


_OS_ERROR = re.compile(r"\[Errno -?\d+\] ([^'\"\]\)]+)")


def _cause(error: ProtocolError) -> str:
    inner = error.args[1] if len(error.args) > 1 else None
    return type(inner).__name__ if isinstance(inner, BaseException) else str(error)[:80]


class StoreWatch:
    """Lists and watches Stores through one `CustomObjectsApi` until `stop` is set."""

    def __init__(self, custom: Any, backoff: Backoff | None = None) -> None:
        self.custom = custom
        self.backoff = backoff or Backoff()

    def list_stores(self) -> tuple[list[Store], str]:
        """All Stores and the resource version to watch from."""
        result = self.custom.list_namespaced_custom_object(
            GROUP,
            VERSION,
            SYSTEM_NAMESPACE,
            PLURAL,
            _request_timeout=(CONNECT_SECONDS, LIST_SECONDS),
        )
        stores = [Store.from_object(item) for item in result.get("items", [])]
        version = str((result.get("metadata") or {}).get("resourceVersion", ""))
        return sorted(stores, key=lambda s: s.name), version

    def run(self, sink: ChangeSink, stop: threading.Event) -> None:
        failures = 0
        version = ""  # empty: list first
        while not stop.is_set():
            try:
                if not version:
                    stores, version = self.list_stores()
                    sink(StoreChange("SYNCED", stores=tuple(stores)))
                version = self._follow(sink, stop, version)
                failures = 0  # the watch ran: the connection is healthy
            except Exception as error:  # whatever broke, relist: changes may have been missed
                version = ""
                if isinstance(error, ApiException) and error.status == 410:
                    continue  # Gone: the version expired, which is routine
                failures = self._pause(sink, stop, error, failures)

    def _pause(
        self, sink: ChangeSink, stop: threading.Event, error: Exception, failures: int
    ) -> int:
        failures += 1
        delay = self.backoff.delay(failures)
        sink(StoreChange("RECONNECTING", reason=describe(error), retry_in=delay))
        stop.wait(delay)
        return failures

    def _follow(self, sink: ChangeSink, stop: threading.Event, version: str) -> str:
        """Watch from `version` until the stream ends, idles or `stop` is set.

        Returns the last resource version seen, to resume from.
        """
        watcher = watch.Watch()
        started = time.monotonic()
        delivered = False
        try:
            for item in watcher.stream(
                self.custom.list_namespaced_custom_object,
                GROUP,
                VERSION,
                SYSTEM_NAMESPACE,
                PLURAL,
                resource_version=version,
                timeout_seconds=WATCH_SECONDS,
                allow_watch_bookmarks=True,
                _request_timeout=(CONNECT_SECONDS, IDLE_READ_SECONDS),
            ):
                kind = str(item["type"])
                delivered = True
                if kind in ("ADDED", "MODIFIED", "DELETED"):
                    sink(StoreChange(kind, store=Store.from_object(item["raw_object"])))
                if stop.is_set():
                    break
        except ReadTimeoutError:
            pass  # nothing happened for a while: resume from the same version
        finally:
            watcher.stop()
        if not (delivered or stop.is_set()) and time.monotonic() - started < IDLE_READ_SECONDS:
            # Resuming at once would spin: count it as a failure, with its pause.
            raise WatchEndedAtOnce("the API server ended the watch at once")
        return str(watcher.resource_version or version)
