"""A local AWX 24.6.1 stand-in: the recorded responses, a memory, and the API's contract.

    with AwxTestServer() as awx:
        ...  # point CONTROLLER_HOST / storefleet --awx at awx.url
        assert awx.violations == []

Every request is checked against swagger.json (contract.py) and logged; what breaks
the contract is collected in `violations` (and answered as AWX would: 404, or the
field ignored). Tokens stand for three users: an admin, an operator who may launch and
cancel jobs but change nothing else, and a viewer who may only read.

What it cannot show - AWX running a job in an execution environment, project syncs,
inventory imports, RBAC beyond these three users - is listed in docs/awx.md.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.awx_server import recorded
from tests.awx_server.contract import Contract
from tests.awx_server.filters import filter_problems
from tests.awx_server.schema import UNIFIED_KINDS
from tests.awx_server.state import AwxState, Refused

REPO = Path(__file__).resolve().parents[2]
TOKENS = {"admin-token": "admin", "operator-token": "operator", "viewer-token": "viewer"}
# What an operator may POST besides reading: launching and canceling jobs.
OPERATOR_POSTS = re.compile(
    r"^/api/v2/(job_templates|workflow_job_templates)/\d+/launch/$|^/api/v2/jobs/\d+/cancel/$"
)
NOT_AUTHENTICATED = {
    "detail": "Authentication credentials were not provided. "
    "To establish a login session, visit /api/login/."
}
FORBIDDEN = {"detail": "You do not have permission to perform this action."}
# What awx.awx 24.6.1 sends that AWX 24.6.1 ignores (read-only in its schema): expected in
# `ignored`, anything else there is a request the configuration should not make.
COLLECTION_EXTRAS = frozenset(
    {
        "POST /api/{version}/credential_types/: 'managed' is read-only",
        "POST /api/{version}/job_templates/: 'organization' is read-only",
        "PATCH /api/{version}/job_templates/{id}/: 'organization' is read-only",
        "PATCH /api/{version}/credential_types/{id}/: 'managed' is read-only",
    }
)


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int
    user: str


class AwxTestServer:
    def __init__(
        self,
        seed: str = "fresh",
        project_root: Path = REPO,
        events_per_read: int = 4,
        port: int = 0,
        after_request: Callable[[AwxTestServer], None] | None = None,
    ) -> None:
        self.port = port
        self.after_request = after_request
        self.state = AwxState(seed=seed, project_root=project_root, events_per_read=events_per_read)
        self.contract = Contract(recorded.swagger())
        self.requests: list[Request] = []
        self.violations: list[str] = []
        self.ignored: list[str] = []
        self.lock = threading.Lock()
        self._http: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._http is not None, "start the server first"
        host, port = self._http.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> AwxTestServer:
        handler = type("Handler", (_Handler,), {"awx": self})
        self._http = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self._thread = threading.Thread(
            target=self._http.serve_forever, daemon=True, name="awx-test-server"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()

    def __enter__(self) -> AwxTestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def unexpected_ignored(self) -> list[str]:
        """Read-only fields sent that awx.awx is not known to send (COLLECTION_EXTRAS)."""
        return sorted(set(self.ignored) - COLLECTION_EXTRAS)

    def writes(self) -> list[Request]:
        """Requests that change something (launches and cancels included)."""
        return [r for r in self.requests if r.method in ("POST", "PATCH", "PUT", "DELETE")]

    def named(self, kind: str, name: str) -> dict[str, Any]:
        found = self.state.find(kind, name)
        assert found is not None, f"AWX has no {kind} named {name!r}"
        return self.state.represent(kind, found)

    # -- one request -------------------------------------------------------------------

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: Any
    ) -> tuple[int, Any]:
        parts = urlsplit(target)
        path, query = parts.path, dict(parse_qsl(parts.query, keep_blank_values=True))
        user = TOKENS.get(headers.get("authorization", "").removeprefix("Bearer ").strip(), "")
        with self.lock:
            status, answer = self._answer(method, path, query, body, user)
            self.requests.append(Request(method, path, query, body, status, user))
            if self.after_request is not None:
                self.after_request(self)
        return status, answer

    def _answer(
        self, method: str, path: str, query: dict[str, str], body: Any, user: str
    ) -> tuple[int, Any]:
        operation, problem = self.contract.operation(method, path)
        if operation is None:
            self.violations.append(problem)
            return 404, {"detail": "Not found."}
        unknown, ignored = self.contract.body_problems(operation, body)
        self.violations += unknown
        self.ignored += ignored
        if not user:
            return 401, NOT_AUTHENTICATED
        if method != "GET" and user == "viewer":
            return 403, FORBIDDEN
        if method != "GET" and user == "operator" and not OPERATOR_POSTS.match(path):
            return 403, FORBIDDEN
        try:
            return self._route(method, path, query, body or {})
        except Refused as refused:
            return refused.status, refused.body

    def _route(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        state = self.state
        segments = path.strip("/").split("/")[2:]  # after api/v2
        kind = segments[0] if segments else ""
        ident = int(segments[1]) if len(segments) > 1 and segments[1].isdigit() else None
        sub = segments[2] if len(segments) > 2 else ""

        if kind == "unified_job_templates" and ident is None:
            items = [
                {**o, "type": state.schemas[k].type}
                for k in UNIFIED_KINDS
                for o in state.objects[k].values()
            ]
            filterable = {"type"} | state.schemas["job_templates"].filterable
            return self._list(path, items, query, filterable, lambda o: self._represent_unified(o))
        if kind == "roles" and ident is not None and sub in ("teams", "users"):
            return self._sublist(method, "roles", ident, sub, path, query, body)
        if kind == "jobs":
            return self._jobs(method, ident, sub, path, query)
        if kind not in state.objects:
            return 404, {"detail": "Not found."}
        if ident is None:
            if method == "GET":
                items = list(state.objects[kind].values())
                return self._list(
                    path,
                    items,
                    query,
                    state.schemas[kind].filterable,
                    lambda o: state.represent(kind, o),
                )
            return 201, state.represent(kind, state.create(kind, body))
        if not sub:
            if method == "GET":
                return 200, state.represent(kind, state.get(kind, ident))
            if method in ("PATCH", "PUT"):
                return 200, state.represent(kind, state.update(kind, ident, body))
            state.delete(kind, ident)
            return 204, None
        if sub == "survey_spec":
            if method == "GET":
                return 200, state.survey(kind, ident)
            if method == "DELETE":
                state.delete_survey(kind, ident)
                return 200, {}
            state.set_survey(kind, ident, body)
            return 200, {}
        if sub == "launch" and kind == "job_templates":
            if method == "GET":
                return 200, state.launch_info(ident)
            job, ignored = state.launch(ident, body)
            return 201, {"job": job["id"], "ignored_fields": ignored, **state.represent_job(job)}
        if sub == "playbooks" and kind == "projects":
            return 200, state.playbooks(ident)
        return self._sublist(method, kind, ident, sub, path, query, body)

    def _represent_unified(self, obj: dict[str, Any]) -> dict[str, Any]:
        kind = next(k for k in UNIFIED_KINDS if self.state.schemas[k].type == obj["type"])
        return self.state.represent(kind, obj)

    def _list(
        self,
        path: str,
        items: list[dict[str, Any]],
        query: dict[str, str],
        filterable: set[str],
        show: Any,
    ) -> tuple[int, Any]:
        problems = filter_problems(query, filterable)
        if problems:
            self.violations += [f"GET {path}: {p}" for p in problems]
            return 400, {"detail": problems[0]}
        return 200, self.state.listing(path, items, query, filterable, show)

    def _sublist(
        self,
        method: str,
        kind: str,
        ident: int,
        sub: str,
        path: str,
        query: dict[str, str],
        body: Any,
    ) -> tuple[int, Any]:
        state = self.state
        if method == "GET":
            target, items = state.attached(kind, ident, sub)
            return self._list(
                path,
                items,
                query,
                state.schemas[target].filterable if target in state.schemas else set(),
                lambda o: state.represent(target, o),
            )
        state.attach(kind, ident, sub, body)
        return 204, None

    def _jobs(
        self, method: str, ident: int | None, sub: str, path: str, query: dict[str, str]
    ) -> tuple[int, Any]:
        state = self.state
        if ident is None:
            records = [job.record for job in state.jobs.values()]
            return self._list(
                path, records, query, state.schemas["jobs"].filterable, state.represent_job
            )
        if sub == "job_events":
            events = state.job_events(ident)
            options = recorded.options("jobs_2_job_events") or {}
            filterable = {k for k, v in options["actions"]["GET"].items() if v.get("filterable")}
            return self._list(path, events, query, filterable, lambda e: e)
        if sub == "cancel":
            if method == "GET":
                return 200, {
                    "can_cancel": state.job(ident)["status"] in ("pending", "waiting", "running")
                }
            state.cancel(ident)
            return 202, None
        return 200, state.represent_job(state.job(ident))


class _Handler(BaseHTTPRequestHandler):
    awx: AwxTestServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the server keeps its own log (AwxTestServer.requests)."""

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw.strip() else None
        except ValueError:
            self._send(400, {"detail": "JSON parse error"})
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, answer = self.awx.handle(self.command, self.path, headers, body)
        self._send(status, answer)

    def _send(self, status: int, answer: Any) -> None:
        payload = b"" if answer is None else json.dumps(answer).encode()
        self.send_response(status, HTTPStatus(status).phrase)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("X-API-Product-Name", "AWX")
        self.send_header("X-API-Product-Version", recorded.VERSION)
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve
