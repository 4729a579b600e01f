"""A local HTTP server that speaks the Kubernetes list and watch protocol for Stores, and
lists Nodes (or refuses to, as RBAC does for a viewer).

The TUI's Store watch runs against it through the real kubernetes client, over real
sockets, while a test breaks things the way a cluster does: the server stops and comes
back on the same port (an API server restart), a watch connection is reset, a request
gets a 5xx, a watch is told its resource version expired (410).
"""

from __future__ import annotations

import json
import os
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

STORES_PATH = "/apis/storefleet.io/v1alpha1/namespaces/storefleet-system/stores"
NODES_PATH = "/api/v1/nodes"


@dataclass
class Event:
    version: int
    kind: str
    store: dict[str, Any]


@dataclass
class Request:
    watch: bool
    version: str


@dataclass
class StoreApi:
    """The stored state (what etcd would keep across an API server restart) and faults."""

    version: int = 1
    stores: dict[str, dict[str, Any]] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    oldest: int = 0
    """Events at or below this version were compacted: watching from there is a 410."""
    faults: deque[str] = field(default_factory=deque)
    """Served to the next requests in order: `500`, `410`, `reset` (watch), `expire` (watch)."""
    requests: list[Request] = field(default_factory=list)
    nodes: list[dict[str, Any]] = field(default_factory=list)
    nodes_forbidden: bool = False
    """Listing Nodes is a 403, as for a user whose role may not list them."""
    changed: threading.Condition = field(default_factory=threading.Condition)

    def put(self, name: str, phase: str) -> None:
        with self.changed:
            self.version += 1
            kind = "MODIFIED" if name in self.stores else "ADDED"
            store = {
                "apiVersion": "storefleet.io/v1alpha1",
                "kind": "Store",
                "metadata": {
                    "name": name,
                    "namespace": "storefleet-system",
                    "resourceVersion": str(self.version),
                },
                "spec": {"plan": "small"},
                "status": {"phase": phase},
            }
            self.stores[name] = store
            self.events.append(Event(self.version, kind, store))
            self.changed.notify_all()

    def delete(self, name: str) -> None:
        with self.changed:
            self.version += 1
            store = self.stores.pop(name)
            self.events.append(Event(self.version, "DELETED", store))
            self.changed.notify_all()

    def compact(self) -> None:
        """Forget the event history, as etcd compaction does."""
        with self.changed:
            self.oldest = self.version
            self.events.clear()

    def count(self, watch: bool) -> int:
        return sum(1 for r in self.requests if r.watch == watch)


class StoreApiServer:
    """Serves a `StoreApi` on 127.0.0.1; `stop()` and `start()` keep the port."""

    def __init__(self, api: StoreApi) -> None:
        self.api = api
        self.port = 0
        self._server: ThreadingHTTPServer | None = None
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        handler = type("Handler", (_Handler,), {"owner": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Stop listening and cut every open connection, as a stopped API server does."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._server = None
        with self._lock:
            for connection in self._connections:
                reset(connection)
            self._connections.clear()
        with self.api.changed:
            self.api.changed.notify_all()

    @property
    def running(self) -> bool:
        return self._server is not None

    def kubeconfig(self, directory: Path) -> Path:
        path = directory / "kubeconfig"
        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "local", "cluster": {"server": self.url}}],
            "users": [{"name": "local", "user": {}}],
            "contexts": [{"name": "local", "context": {"cluster": "local", "user": "local"}}],
            "current-context": "local",
        }
        path.write_text(json.dumps(config))
        return path

    def track(self, connection: socket.socket, open_: bool) -> None:
        with self._lock:
            (self._connections.add if open_ else self._connections.discard)(connection)


def reset(connection: socket.socket) -> None:
    """Close with a TCP reset (SO_LINGER 0): the peer reads ECONNRESET.

    The descriptor is closed at once: `close()` would wait for the handler's files.
    """
    try:
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        os.close(connection.detach())
    except OSError:
        pass


@contextmanager
def serving(api: StoreApi) -> Iterator[StoreApiServer]:
    server = StoreApiServer(api)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class _Handler(BaseHTTPRequestHandler):
    owner: StoreApiServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet

    def setup(self) -> None:
        super().setup()
        self.owner.track(self.connection, True)

    def finish(self) -> None:
        self.owner.track(self.connection, False)
        with suppress(OSError):
            super().finish()

    def do_GET(self) -> None:
        try:
            self._serve()
        except OSError:  # the connection was cut (a reset, a stop): nothing to answer
            self.close_connection = True

    def _serve(self) -> None:
        if not self.owner.running:  # a connection kept alive from before a stop
            reset(self.connection)
            self.close_connection = True
            return
        url = urlparse(self.path)
        query = {key: values[-1] for key, values in parse_qs(url.query).items()}
        if url.path == NODES_PATH:
            self._nodes()
            return
        if url.path != STORES_PATH:
            self._status(404, "NotFound", f"{url.path} is not served here")
            return
        api = self.owner.api
        watching = query.get("watch", "").lower() in ("true", "1")
        api.requests.append(Request(watching, query.get("resourceVersion", "")))
        fault = api.faults.popleft() if api.faults else ""
        if fault == "500":
            self._status(500, "InternalError", "etcdserver: request timed out")
        elif fault == "410":
            self._status(410, "Expired", "too old resource version")
        elif watching:
            self._watch(int(query.get("resourceVersion") or 0), query, fault)
        else:
            with api.changed:
                body = {
                    "apiVersion": "storefleet.io/v1alpha1",
                    "kind": "StoreList",
                    "metadata": {"resourceVersion": str(api.version)},
                    "items": sorted(api.stores.values(), key=lambda s: s["metadata"]["name"]),
                }
            self._json(200, body)

    def _nodes(self) -> None:
        api = self.owner.api
        if api.nodes_forbidden:
            message = 'nodes is forbidden: User "viewer" cannot list resource "nodes"'
            self._status(403, "Forbidden", message)
            return
        listed = {"apiVersion": "v1", "kind": "NodeList", "metadata": {}, "items": api.nodes}
        self._json(200, listed)

    def _watch(self, since: int, query: dict[str, str], fault: str) -> None:
        api = self.owner.api
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()
        if fault == "reset":
            reset(self.connection)
            self.close_connection = True
            return
        if fault == "expire" or since < api.oldest:
            status = {"kind": "Status", "code": 410, "reason": "Expired", "message": "too old"}
            self._chunk({"type": "ERROR", "object": status})
            self._chunk(None)
            return
        deadline = time.monotonic() + float(query.get("timeoutSeconds") or 60)
        sent = since
        while time.monotonic() < deadline and self.owner.running:
            with api.changed:
                api.changed.wait(0.1)
                fresh = [e for e in api.events if e.version > sent]
            for event in fresh:
                self._chunk({"type": event.kind, "object": event.store})
                sent = event.version
        if self.owner.running:  # the watch's time is up: end it cleanly
            self._chunk(None)
        else:
            self.close_connection = True

    def _chunk(self, event: dict[str, Any] | None) -> None:
        data = b"" if event is None else json.dumps(event).encode() + b"\n"
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _status(self, code: int, reason: str, message: str) -> None:
        status = {"kind": "Status", "apiVersion": "v1", "status": "Failure"}
        self._json(code, {**status, "code": code, "reason": reason, "message": message})

    def _json(self, code: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
