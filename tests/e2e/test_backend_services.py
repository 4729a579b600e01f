"""The backend's other faces: admin dashboard, worker, CORS from the environment."""

from __future__ import annotations

import re
import urllib.request

from tests.e2e.conftest import RunningStore
from tests.e2e.services import admin_token, http_get


def test_admin_dashboard_is_served_same_origin(store: RunningStore) -> None:
    status, html = http_get(f"{store.store.api_origin}/app")
    assert status == 200
    assert 'id="medusa"' in html
    script = re.search(r'src="(/app/assets/[^"]+\.js)"', html)
    assert script, html
    status, bundle = http_get(f"{store.store.api_origin}{script.group(1)}")
    assert status == 200
    # Built with no backend URL: the dashboard calls whatever host served it,
    # so one image serves every store.
    assert "localhost:9000" not in bundle
    assert "127.0.0.1" not in bundle


def test_worker_runs_beside_the_server(store: RunningStore) -> None:
    assert not store.worker.exited()
    assert http_get(f"http://127.0.0.1:{store.worker.env['PORT']}/health")[0] == 200


def preflight(url: str, origin: str) -> str | None:
    request = urllib.request.Request(  # noqa: S310
        url,
        method="OPTIONS",
        headers={"origin": origin, "access-control-request-method": "GET"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        return response.headers.get("access-control-allow-origin")


def test_cors_follows_the_store_urls(store: RunningStore) -> None:
    alpha = store.store
    assert alpha.api_origin.startswith("http://127.0.0.1:")
    products = f"{alpha.api_origin}/store/products"
    assert preflight(products, alpha.storefront_origin) == alpha.storefront_origin
    assert preflight(products, "http://elsewhere.example") is None
    orders = f"{alpha.api_origin}/admin/orders"
    assert preflight(orders, alpha.api_origin) == alpha.api_origin
    assert preflight(orders, alpha.storefront_origin) is None


def test_session_cookie_follows_medusa_cookie_secure(store: RunningStore) -> None:
    # The dashboard logs in with a session cookie; over plain HTTP it must
    # not be Secure (MEDUSA_COOKIE_SECURE=false), or the browser drops it.
    alpha = store.store
    assert alpha.backend_env()["MEDUSA_COOKIE_SECURE"] == "false"
    request = urllib.request.Request(  # noqa: S310
        f"{alpha.api_origin}/auth/session",
        method="POST",
        headers={"authorization": f"Bearer {admin_token(alpha)}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        cookie = response.headers.get("set-cookie") or ""
    assert cookie.startswith("connect.sid=")
    assert "secure" not in cookie.lower()
    assert "httponly" in cookie.lower()
