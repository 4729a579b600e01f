"""Stores served for real on the sandbox's real node: the images the project built, the
edge on loopback, a browser and the store's own APIs through it."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storefleet_sandbox import SandboxClient
from storefleet_sandbox.edge import EDGE_HOST, EDGE_HTTP_PORT
from tests.e2e.browser import CHROMIUM_FLAGS, PATIENCE_MS
from tests.integration.ansible_run import kubectl_json, run_playbook

DOMAIN = "sandbox.127.0.0.1.nip.io"


def build_images(sandbox: SandboxClient, workdir: Path) -> dict[str, str]:
    """The project's images built with roles/images (buildah) into the sandbox registry;
    returns the release the role recorded: image name -> reference."""
    run = run_playbook(
        sandbox, "storefleet.platform.images", workdir / "images", timeout=5400, real_node=True
    )
    assert run.ok, run.explain()
    configmap = kubectl_json(
        sandbox, "-n", "storefleet-system", "get", "configmap", "storefleet-images"
    )
    return dict(configmap["data"])


def tag_of(reference: str) -> str:
    return reference.rsplit(":", 1)[1]


def image_tags(release: dict[str, str]) -> dict[str, str]:
    """The store role's image variables for the released images."""
    return {
        "store_backend_image_tag": tag_of(release["medusa-backend"]),
        "store_storefront_image_tag": tag_of(release["medusa-storefront"]),
    }


@dataclass(frozen=True)
class Edge:
    """A store through the sandbox's edge, by its host name."""

    store: str

    @property
    def host(self) -> str:
        return f"{self.store}.{DOMAIN}"

    @property
    def origin(self) -> str:
        return f"http://{self.host}"

    def request(
        self, path: str, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        """One HTTP request to the edge on loopback, naming the store's host."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"http://{EDGE_HOST}:{EDGE_HTTP_PORT}{path}",
            data=data,
            headers={"Host": self.host, "content-type": "application/json", **(headers or {})},
            method="POST" if data is not None else "GET",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                raw = response.read()
                return response.status, _json_or_text(raw)
        except urllib.error.HTTPError as error:
            return error.code, _json_or_text(error.read())

    def page(self, path: str = "/", hops: int = 5) -> tuple[int, str]:
        """GET a page through the edge, following the store's own redirects (the
        storefront sends `/` to its default region) with the store's Host header."""
        opener = urllib.request.build_opener(_NoRedirect)
        for _ in range(hops):
            request = urllib.request.Request(
                f"http://{EDGE_HOST}:{EDGE_HTTP_PORT}{path}", headers={"Host": self.host}
            )
            try:
                with opener.open(request, timeout=60) as response:
                    return response.status, response.read().decode(errors="replace")
            except urllib.error.HTTPError as error:
                location = error.headers.get("location", "")
                if error.code not in (301, 302, 303, 307, 308) or not location:
                    return error.code, error.read().decode(errors="replace")
                parsed = urllib.parse.urlsplit(location)
                assert parsed.netloc in ("", self.host), f"{path} leaves the store: {location}"
                path = urllib.parse.urlunsplit(("", "", parsed.path or "/", parsed.query, ""))
        raise AssertionError(f"more than {hops} redirects from {self.origin}")

    def admin_token(self, email: str, password: str) -> str:
        status, body = self.request("/auth/user/emailpass", {"email": email, "password": password})
        assert status == 200, f"admin login through the edge answered {status}: {body}"
        return str(body["token"])

    def admin_orders(self, token: str) -> list[dict[str, Any]]:
        status, body = self.request(
            "/admin/orders?fields=id,display_id,email,total&limit=50",
            headers={"authorization": f"Bearer {token}"},
        )
        assert status == 200, f"GET /admin/orders answered {status}: {body}"
        return list(body["orders"])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand redirects back to the caller: their host is the store's, which only the edge
    (not DNS) resolves here."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _json_or_text(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


def store_credentials(sandbox: SandboxClient, store: str) -> tuple[str, str]:
    """The admin sign-in the store role generated (as store_info reveals it)."""
    secret = kubectl_json(sandbox, "-n", f"store-{store}", "get", "secret", "store-credentials")
    import base64

    data = {key: base64.b64decode(value).decode() for key, value in secret["data"].items()}
    return data["admin-email"], data["admin-password"]


@contextmanager
def browser(playwright: Any) -> Any:
    """Debian's Chromium that resolves every store host of the domain to the edge."""
    from playwright.sync_api import expect

    expect.set_options(timeout=PATIENCE_MS)
    rules = f"--host-resolver-rules=MAP *.{DOMAIN} {EDGE_HOST}:{EDGE_HTTP_PORT}"
    chromium = playwright.chromium.launch(
        executable_path="/usr/bin/chromium", headless=True, args=[*CHROMIUM_FLAGS, rules]
    )
    try:
        yield chromium
    finally:
        chromium.close()


def pod_exec(sandbox: SandboxClient, namespace: str, selector: str, script: str) -> str:
    """Run a Node.js snippet in the first pod matching `selector` (store images have node)."""
    pods = kubectl_json(sandbox, "-n", namespace, "get", "pods", "-l", selector)["items"]
    running = [p["metadata"]["name"] for p in pods if p["status"].get("phase") == "Running"]
    assert running, f"no running pod {selector} in {namespace}"
    return sandbox.kubectl("-n", namespace, "exec", running[0], "--", "node", "-e", script)


def tcp_probe_script(host: str, port: int, timeout_ms: int = 3000) -> str:
    """Node.js that prints OPEN when a TCP connection to host:port opens, else BLOCKED."""
    return (
        f"const s=require('net').connect({{host:{json.dumps(host)},port:{port}}});"
        f"s.setTimeout({timeout_ms},()=>{{console.log('BLOCKED timeout');process.exit(0)}});"
        "s.on('connect',()=>{console.log('OPEN');s.destroy();process.exit(0)});"
        "s.on('error',e=>{console.log('BLOCKED '+e.code);process.exit(0)});"
    )
