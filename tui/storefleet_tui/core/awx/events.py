"""AWX job events are ansible-runner events: the same callback wrote both.

AWX stores each event of a job with extra fields of its own (`id`, `job`, `host`,
`summary_fields`, ...); what the runner bridge hands the event model - `event`,
`uuid`, `parent_uuid`, `counter`, `event_data`, `stdout`, `created` - is there under the
same names, so a job's events build the same tree and counts as a local run's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# The keys of an ansible-runner event (what RunModel and the raw output read).
RUNNER_KEYS = (
    "event",
    "uuid",
    "parent_uuid",
    "counter",
    "stdout",
    "start_line",
    "end_line",
    "created",
    "event_data",
    "verbosity",
)


def runner_event(job_event: Mapping[str, Any], job_id: int) -> dict[str, Any]:
    """One AWX job event as the runner event the local path would have seen."""
    event = {key: job_event[key] for key in RUNNER_KEYS if key in job_event}
    event["event_data"] = dict(job_event.get("event_data") or {})
    # AWX leaves parent_uuid empty on top-level events where runner leaves it out.
    if not event.get("parent_uuid"):
        event.pop("parent_uuid", None)
    event["runner_ident"] = f"awx-job-{job_id}"
    return event
