"""App-wide messages: runner events, finished runs, fleet changes, the cluster connection
and its nodes.

Messages that belong to one widget live on that widget (see widgets/).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from storefleet_tui.core.nodes import ClusterNodes
from storefleet_tui.core.stores import StoreChange
from storefleet_tui.core.target import ClusterTarget


@dataclass
class RunEvents(Message):
    """Runner events of the run `session_id` are waiting in its inbox.

    Posted when the inbox turns non-empty; every event is delivered (nothing is
    replaced or dropped), and a burst costs one message instead of thousands, so
    keys and timers keep their turn.
    """

    session_id: int


@dataclass
class RunStarted(Message):
    session_id: int
    ident: str


@dataclass
class RunFinished(Message):
    session_id: int
    status: str


@dataclass
class StoresChanged(Message):
    """The Store watch saw a change (or relisted everything)."""

    change: StoreChange


@dataclass
class ClusterConnected(Message):
    target: ClusterTarget


@dataclass
class NodesListed(Message):
    """The cluster's nodes were read once, after connecting."""

    nodes: ClusterNodes


@dataclass
class ClusterUnavailable(Message):
    reason: str
