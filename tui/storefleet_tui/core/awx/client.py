"""A small client for the parts of the AWX 24 API the TUI uses, with refusals in plain words.

Token authentication only (AWX 24 refuses a username/password login on /api/login/ with
403): the token goes into each request's Authorization header and nowhere else - not
into this object's repr, an exception message or a log line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import urllib3

API = "/api/v2"
# AWX's largest page.
PAGE_SIZE = 200


class AwxError(Exception):
    """AWX could not be asked, or said no; the message says which, in plain words."""


class AwxUnavailable(AwxError):
    """No answer, or a server error."""


class AwxUnauthorized(AwxError):
    """401: the token is missing, wrong or expired."""


class AwxForbidden(AwxError):
    """403: the token's user may not do this."""


class AwxNotFound(AwxError):
    """404: no such object."""


class AwxRefused(AwxError):
    """400: AWX named what is wrong with the request (missing survey answers ...)."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


def problems_of(body: Any) -> list[str]:
    """AWX's reasons from a 400 body: `variables_needed_to_start`, field errors, `detail`."""
    if not isinstance(body, Mapping):
        return [str(body)] if body else []
    found: list[str] = []
    for key, value in body.items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            text = json.dumps(item) if isinstance(item, Mapping) else str(item)
            plain = key in ("variables_needed_to_start", "extra_vars", "detail", "error", "__all__")
            found.append(text if plain else f"{key}: {text}")
    return found


class AwxClient:
    def __init__(
        self, url: str, token: str, verify_tls: bool = True, timeout: float = 30.0
    ) -> None:
        self.url = url.rstrip("/")
        self._token = token
        self._http = urllib3.PoolManager(
            cert_reqs="CERT_REQUIRED" if verify_tls else "CERT_NONE",
            timeout=urllib3.Timeout(total=timeout),
            retries=False,
        )

    def __repr__(self) -> str:
        return f"AwxClient({self.url!r})"

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc

    # -- HTTP ----------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        params: Mapping[str, str | int] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> Any:
        """One API call; `path` is below /api/v2 (`jobs/7/`) or absolute (`/api/v2/...`)."""
        target = path if path.startswith("/api/") else f"{API}/{path.lstrip('/')}"
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "application/json"}
        try:
            response = self._http.request(
                method,
                self.url + target,
                fields={k: str(v) for k, v in (params or {}).items()} or None,
                json=dict(body) if body is not None else None,
                headers=headers,
            )
        except urllib3.exceptions.HTTPError as error:
            raise AwxUnavailable(f"AWX at {self.url} does not answer: {error}") from None
        answer: Any = None
        if response.data:
            try:
                answer = json.loads(response.data)
            except ValueError:
                answer = response.data.decode(errors="replace")[:200]
        self._raise_for(response.status, method, target, answer)
        return answer

    def _raise_for(self, status: int, method: str, target: str, answer: Any) -> None:
        if status < 400:
            return
        if status == 401:
            raise AwxUnauthorized(
                f"AWX did not accept the token (401): set STOREFLEET_AWX_TOKEN, or awx_token "
                f"in the settings file, to a valid personal access token of {self.host}"
            )
        if status == 403:
            raise AwxForbidden(
                f"AWX refused (403): this token's user may not {method} {target}. "
                "An admin of the organization can add the user to the team that may "
                "(store-operators launch the store templates)"
            )
        if status == 404:
            raise AwxNotFound(f"AWX has no {target} (404)")
        if status == 400:
            problems = problems_of(answer)
            raise AwxRefused(f"AWX refused (400): {'; '.join(problems)}", problems)
        raise AwxUnavailable(f"AWX answered {status} to {method} {target}: {answer}")

    def get(self, path: str, params: Mapping[str, str | int] | None = None) -> Any:
        return self.request("GET", path, params=params)

    def post(self, path: str, body: Mapping[str, Any] | None = None) -> Any:
        return self.request("POST", path, body=body or {})

    # -- what the TUI asks -------------------------------------------------------------

    def job_template(self, name: str) -> dict[str, Any]:
        found = self.get("job_templates/", {"name": name})["results"]
        if not found:
            raise AwxNotFound(
                f"AWX at {self.host} has no job template {name!r}: configure it with "
                "ansible-playbook -i inventories/<env> storefleet.platform.awx_configure"
            )
        template: dict[str, Any] = found[0]
        return template

    def survey_spec(self, template_id: int) -> dict[str, Any]:
        spec: dict[str, Any] = self.get(f"job_templates/{template_id}/survey_spec/") or {}
        return spec

    def launch(
        self, template: Mapping[str, Any], extra_vars: Mapping[str, Any], limit: str | None = None
    ) -> int:
        """Launch a job template with survey answers (and a limit, which the template must
        ask for: AWX ignores one it does not ask for); the new job's id."""
        body: dict[str, Any] = {"extra_vars": dict(extra_vars)}
        if limit is not None:
            body["limit"] = limit
        try:
            answer = self.post(f"job_templates/{template['id']}/launch/", body)
        except AwxRefused as refused:
            raise AwxRefused(
                f"AWX refused to launch {template['name']}: {'; '.join(refused.problems)}",
                refused.problems,
            ) from None
        return int(answer["job"])

    def job(self, job_id: int) -> dict[str, Any]:
        job: dict[str, Any] = self.get(f"jobs/{job_id}/")
        return job

    def job_events(self, job_id: int, after: int) -> list[dict[str, Any]]:
        """Events with a counter above `after`, in order (one page: at most PAGE_SIZE)."""
        page = self.get(
            f"jobs/{job_id}/job_events/",
            {"counter__gt": after, "order_by": "counter", "page_size": PAGE_SIZE},
        )
        events: list[dict[str, Any]] = page["results"]
        return events

    def cancel(self, job_id: int) -> None:
        self.post(f"jobs/{job_id}/cancel/")

    def recent_jobs(self, limit: int) -> list[dict[str, Any]]:
        page = self.get("jobs/", {"order_by": "-id", "page_size": min(limit, PAGE_SIZE)})
        jobs: list[dict[str, Any]] = page["results"]
        return jobs
