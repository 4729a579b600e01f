"""Real services for the store-app tests and benchmark, each on loopback.

PostgreSQL and Redis come from Debian's packages; the Medusa backend and the
Next.js storefront are the built directories the images run
(``docker/*/out/app``). Every process starts in its own process group and is
stopped, group and all, by ``stop()`` or at interpreter exit at the latest.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BACKEND_APP = REPO / "docker" / "medusa-backend" / "out" / "app"
STOREFRONT_APP = REPO / "docker" / "medusa-storefront" / "out" / "app"
BACKEND_CLI = BACKEND_APP / "bin" / "storefleet-medusa"
SNAPSHOT = BACKEND_APP / "snapshot" / "medusa.dump"

# Everything started and not yet stopped, stopped at interpreter exit at the latest.
_running: list[ManagedProcess | Postgres] = []


def as_app_user() -> list[str]:
    """Runs the store app as in its image: not root, app files not writable,
    HOME not writable (nobody's is /nonexistent), only /tmp to write to."""
    return ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []


def _stop_leftovers() -> None:
    for process in list(_running):
        process.stop()


atexit.register(_stop_leftovers)


def stop_on_sigterm() -> None:
    """A CI time-out ends the run with SIGTERM: make it an interrupt, so
    fixtures and atexit stop every server instead of leaving them behind."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupt)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _loopback_http(url: str) -> str:
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(f"tests only talk to loopback HTTP services, not {url}")
    return url


def http_get(url: str, timeout: float = 5.0) -> tuple[int, str]:
    """GET a loopback URL; an HTTP error status is an answer, not an exception."""
    request = urllib.request.Request(_loopback_http(url))  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def http_json(
    url: str, body: dict | None = None, headers: dict | None = None, timeout: float = 15.0
) -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(  # noqa: S310
        _loopback_http(url),
        data=data,
        method="GET" if body is None else "POST",
        headers={"content-type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def wait_for_http(url: str, timeout: float, process: ManagedProcess | None = None) -> float:
    """Waits until the URL answers 200; returns the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process is not None and process.exited():
            raise RuntimeError(f"{process.name} exited early; see {process.log_path}")
        with contextlib.suppress(OSError):
            if http_get(url, timeout=2)[0] == 200:
                return time.monotonic() - started
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer 200 within {timeout:.0f} s")


@dataclass
class ManagedProcess:
    """A long-running child with its output in a log file."""

    name: str
    argv: list[str]
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    popen: subprocess.Popen | None = None

    def start(self) -> ManagedProcess:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.popen = subprocess.Popen(
                self.argv,
                cwd=self.cwd,
                env={**os.environ, **self.env},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Own process group: stop() reaches any grandchild too.
                start_new_session=True,
            )
        _running.append(self)
        return self

    def exited(self) -> bool:
        return self.popen is None or self.popen.poll() is not None

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def stop(self, timeout: float = 10.0) -> None:
        if self.popen is None:
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)
            try:
                self.popen.wait(timeout=timeout)
                break
            except subprocess.TimeoutExpired:
                continue
        # The leader may be gone while its group lives on.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        if self in _running:
            _running.remove(self)
        self.popen = None


class Postgres:
    """A throwaway PostgreSQL cluster (PostgreSQL refuses to run as root)."""

    def __init__(self, log_dir: Path) -> None:
        self.bin = Path(os.environ.get("PG_BIN") or _newest_postgres_bin())
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="storefleet-e2e-pg-"))
        self.log_path = log_dir / "postgres.log"
        self.as_owner: list[str] = []
        if os.geteuid() == 0:
            owner = "postgres" if _user_exists("postgres") else "nobody"
            shutil.chown(self.dir, user=owner)
            self.as_owner = ["runuser", "-u", owner, "--"]

    def start(self) -> Postgres:
        data = self.dir / "data"
        subprocess.run(
            [*self.as_owner, str(self.bin / "initdb"), "-D", str(data), "-U", "postgres",
             "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        server_log = self.dir / "server.log"
        subprocess.run(
            [*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(server_log),
             "-w", "-s", "-o",
             f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
             "-c full_page_writes=off -c synchronous_commit=off",
             "start"],
            check=True,
        )  # fmt: skip
        _running.append(self)
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def psql(self, database: str, sql: str) -> str:
        result = subprocess.run(
            [str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
             "-d", database, "-Atqc", sql],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        return result.stdout.strip()

    def stop(self) -> None:
        data = self.dir / "data"
        if data.exists():
            subprocess.run(
                [*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(data), "-m", "fast", "-s",
                 "stop"],
                check=False,
            )  # fmt: skip
        server_log = self.dir / "server.log"
        if server_log.exists():
            shutil.copyfile(server_log, self.log_path)
        shutil.rmtree(self.dir, ignore_errors=True)
        if self in _running:
            _running.remove(self)


class Redis:
    """A throwaway Redis server without persistence."""

    def __init__(self, log_dir: Path) -> None:
        self.port = free_port()
        self.process = ManagedProcess(
            "redis",
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--protected-mode", "yes"],
            log_dir / "redis.log",
        )  # fmt: skip

    def start(self) -> Redis:
        self.process.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock,
            ):
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return self
            time.sleep(0.05)
        raise TimeoutError("redis did not answer PING")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.stop()


@dataclass
class Store:
    """One store's settings, as the Helm chart passes them: environment only."""

    name: str
    database_url: str
    redis_url: str
    backend_port: int = field(default_factory=free_port)
    storefront_port: int = field(default_factory=free_port)
    admin_email: str = "admin@example.com"
    admin_password: str = field(default_factory=lambda: os.urandom(12).hex())
    publishable_key: str = ""

    @property
    def api_origin(self) -> str:
        return f"http://127.0.0.1:{self.backend_port}"

    @property
    def storefront_origin(self) -> str:
        return f"http://127.0.0.1:{self.storefront_port}"

    def backend_env(self) -> dict[str, str]:
        return {
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "STORE_CORS": self.storefront_origin,
            "ADMIN_CORS": self.api_origin,
            "AUTH_CORS": f"{self.api_origin},{self.storefront_origin}",
            "JWT_SECRET": os.urandom(16).hex(),
            "COOKIE_SECRET": os.urandom(16).hex(),
            "MEDUSA_COOKIE_SECURE": "false",
            "MEDUSA_ADMIN_EMAIL": self.admin_email,
            "MEDUSA_ADMIN_PASSWORD": self.admin_password,
            "PORT": str(self.backend_port),
            "HOST": "127.0.0.1",
        }

    def storefront_env(self) -> dict[str, str]:
        return {
            "MEDUSA_BACKEND_URL": self.api_origin,
            "MEDUSA_PUBLISHABLE_KEY": self.publishable_key,
            "PORT": str(self.storefront_port),
            "HOSTNAME": "127.0.0.1",
            "NODE_ENV": "production",
        }


@dataclass(frozen=True)
class CommandResult:
    """What one entry-point command did: its exit code, output and JSON answer."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def answer(self) -> dict:
        return json.loads(self.stdout)


def backend_run(store: Store, command: str, env: dict[str, str] | None = None) -> CommandResult:
    """Runs one entry-point command with the store's environment, as its image does."""
    child = subprocess.Popen(
        [*as_app_user(), str(BACKEND_CLI), command],
        env={**os.environ, **store.backend_env(), **(env or {})},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Own process group, so an interrupted run takes its node child along.
        start_new_session=True,
    )
    try:
        stdout, stderr = child.communicate(timeout=300)
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        raise
    return CommandResult(child.returncode, stdout, stderr)


def backend_command(store: Store, command: str, env: dict[str, str] | None = None) -> dict:
    """Runs one entry-point command; returns the JSON it printed on stdout."""
    result = backend_run(store, command, env)
    if result.returncode != 0:
        raise RuntimeError(f"{command} failed ({result.returncode}):\n{result.stderr[-4000:]}")
    return result.answer


def start_backend(store: Store, log_dir: Path, mode: str = "server") -> ManagedProcess:
    """Starts `storefleet-medusa server` (or `worker`) for the store."""
    env = store.backend_env()
    if mode == "worker":
        # The worker has no clients; its port only serves /health.
        env["PORT"] = str(free_port())
    else:
        env["MEDUSA_WORKER_MODE"] = "server"
    return ManagedProcess(
        f"{store.name}-{mode}",
        [*as_app_user(), str(BACKEND_CLI), mode],
        log_dir / f"{store.name}-{mode}.log",
        env,
    ).start()


def start_storefront(store: Store, log_dir: Path) -> ManagedProcess:
    return ManagedProcess(
        f"{store.name}-storefront",
        [*as_app_user(), "node", "server.js"],
        log_dir / f"{store.name}-storefront.log",
        store.storefront_env(),
        cwd=STOREFRONT_APP,
    ).start()


def admin_token(store: Store) -> str:
    status, body = http_json(
        f"{store.api_origin}/auth/user/emailpass",
        {"email": store.admin_email, "password": store.admin_password},
    )
    if status != 200:
        raise RuntimeError(f"admin login refused ({status}): {body}")
    return body["token"]


def admin_orders(store: Store) -> list[dict]:
    status, body = http_json(
        f"{store.api_origin}/admin/orders?fields=id,display_id,email,total&limit=50",
        headers={"authorization": f"Bearer {admin_token(store)}"},
    )
    if status != 200:
        raise RuntimeError(f"GET /admin/orders answered {status}: {body}")
    return body["orders"]


def rss_bytes(process: ManagedProcess) -> int:
    """Resident memory of a process and all its descendants."""
    import psutil

    root = psutil.Process(process.pid)
    total = 0
    for proc in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += proc.memory_info().rss
    return total


def require_builds() -> None:
    missing = [
        f"{path.relative_to(REPO)} (run {script})"
        for path, script in (
            (SNAPSHOT, "docker/medusa-backend/build.sh"),
            (STOREFRONT_APP / "server.js", "docker/medusa-storefront/build.sh"),
        )
        if not path.exists()
    ]
    if missing:
        raise RuntimeError("store app not built: " + ", ".join(missing))


def _newest_postgres_bin() -> str:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not candidates:
        raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
    return str(candidates[-1])


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
