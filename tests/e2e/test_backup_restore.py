"""Backup, restore and schema check: the commands the store's data Jobs run
(charts/store/templates/data-job.yaml), with the Jobs' environment, against real
PostgreSQL and the built backend."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from tests.e2e.services import (
    BACKEND_CLI,
    Postgres,
    Redis,
    Store,
    as_app_user,
    backend_command,
    free_port,
    http_json,
    start_backend,
    wait_for_http,
)
from tests.integration.api_proxy import ApiProxy

# Never a real credential: it only has to be recognisable in any output.
PASSWORD = "pw-7f3a9c1e-not-to-be-printed"
NEWER_MIGRATION = "Migration29990101000000"
SCHEMA_NEWER = 3


@dataclass(frozen=True)
class Answer:
    returncode: int
    stdout: str
    stderr: str
    result_file: str

    @property
    def json(self) -> dict:
        return json.loads(self.stdout)


@dataclass
class DataJobs:
    """One store database and a backups directory, driven as the data Jobs drive them."""

    postgres: Postgres
    database: str
    backups: Path
    results: Path
    port: int = 0
    connect_seconds: int = 0

    @property
    def url(self) -> str:
        # The Jobs' DATABASE_URL carries the password; the test server trusts loopback.
        port = self.port or self.postgres.port
        return f"postgres://postgres:{PASSWORD}@127.0.0.1:{port}/{self.database}"

    def run(self, action: str, backup: str = "", keep: int | None = None) -> Answer:
        """`storefleet-medusa <action>` with only what the Job's container gets."""
        result_file = self.results / f"{action}-{backup or 'check'}.json"
        result_file.unlink(missing_ok=True)
        env = {
            "PATH": os.environ["PATH"],
            "NODE_ENV": "production",
            "DATABASE_URL": self.url,
            "STOREFLEET_RESULT_FILE": str(result_file),
            "STOREFLEET_BACKUP_DIR": str(self.backups),
            "STOREFLEET_BACKUP_NAME": backup,
        }
        if keep is not None:
            env["STOREFLEET_BACKUP_KEEP"] = str(keep)
        if self.connect_seconds:
            env["STOREFLEET_CONNECT_SECONDS"] = str(self.connect_seconds)
        done = subprocess.run(
            [*as_app_user(), str(BACKEND_CLI), action],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        written = result_file.read_text() if result_file.exists() else ""
        return Answer(done.returncode, done.stdout, done.stderr, written)

    def sql(self, statement: str) -> str:
        return self.postgres.psql(self.database, statement)


def writable_by_anyone(path: Path) -> Path:
    """The commands run as the image's unprivileged user; so must they here."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o777)
    return path


@pytest.fixture(scope="module")
def delta(postgres: Postgres, redis: Redis) -> Store:
    """Store "delta": bootstrapped and with an admin, its database URL with a password."""
    store = Store(
        "delta",
        f"postgres://postgres:{PASSWORD}@127.0.0.1:{postgres.port}/store_delta",
        f"{redis.url}/5",
    )
    assert backend_command(store, "bootstrap") == {"action": "restore"}
    backend_command(store, "admin")
    store.publishable_key = backend_command(store, "publishable-key")["publishable_key"]
    return store


@pytest.fixture
def jobs(delta: Store, postgres: Postgres) -> Iterator[DataJobs]:
    # Not below pytest's base directory, which only its owner may enter.
    base = writable_by_anyone(Path(tempfile.mkdtemp(prefix="storefleet-e2e-data-jobs-")))
    yield DataJobs(
        postgres,
        "store_delta",
        writable_by_anyone(base / "backups"),
        writable_by_anyone(base / "r"),
    )
    shutil.rmtree(base, ignore_errors=True)


def product_titles(store: Store) -> list[str]:
    status, body = http_json(
        f"{store.api_origin}/store/products?limit=50&fields=title",
        headers={"x-publishable-api-key": store.publishable_key},
    )
    assert status == 200, body
    return sorted(product["title"] for product in body["products"])


def test_restore_brings_back_the_backup_and_drops_what_a_newer_release_added(
    delta: Store, jobs: DataJobs, log_dir: Path
) -> None:
    server = start_backend(delta, log_dir)
    try:
        wait_for_http(f"{delta.api_origin}/health", 120, server)
        titles = product_titles(delta)
        assert len(titles) == 4

        taken = jobs.run("backup", "20260101-100000-pre-upgrade")
        assert taken.returncode == 0, taken.stderr
        answer = taken.json
        dump = jobs.backups / "20260101-100000-pre-upgrade.dump"
        assert answer["backup"] == "20260101-100000-pre-upgrade"
        assert answer["bytes"] == dump.stat().st_size > 0
        assert answer["sha256"] == hashlib.sha256(dump.read_bytes()).hexdigest()
        assert answer["removed"] == []
        # The termination message the store role reads is the same answer.
        assert json.loads(taken.result_file) == answer

        # What an upgrade to a newer release would leave: changed rows, a new table and
        # a migration this image does not know.
        jobs.sql("UPDATE product SET title = 'Renamed after the backup'")
        jobs.sql("CREATE TABLE added_by_a_newer_release (id int)")
        jobs.sql("INSERT INTO mikro_orm_migrations (name) VALUES ('Migration29990101000000')")
        check = jobs.run("schema-check")
        assert check.returncode == SCHEMA_NEWER, check.stderr
        assert check.json["compatible"] is False
        assert check.json["unknown"] == [NEWER_MIGRATION]
        assert json.loads(check.result_file) == check.json

        # What store_restore does: stop the backend, restore, start it again.
        server.stop()
        restored = jobs.run("restore", "20260101-100000-pre-upgrade")
        assert restored.returncode == 0, restored.stderr
        assert restored.json == {
            "restored": "20260101-100000-pre-upgrade",
            "bytes": answer["bytes"],
        }
        assert jobs.sql("SELECT to_regclass('added_by_a_newer_release')") == ""
        assert jobs.run("schema-check").json["compatible"] is True

        server = start_backend(delta, log_dir)
        wait_for_http(f"{delta.api_origin}/health", 120, server)
        assert product_titles(delta) == titles
        login = {"email": delta.admin_email, "password": delta.admin_password}
        assert http_json(f"{delta.api_origin}/auth/user/emailpass", login)[0] == 200
    finally:
        server.stop()


def test_schema_check_accepts_its_own_and_an_empty_database(
    jobs: DataJobs, postgres: Postgres
) -> None:
    own = jobs.run("schema-check")
    assert own.returncode == 0, own.stderr
    assert own.json["compatible"] is True
    assert own.json["applied"] > 100
    assert own.json["known"] >= own.json["applied"]

    postgres.psql("postgres", "CREATE DATABASE store_empty")
    empty = DataJobs(postgres, "store_empty", jobs.backups, jobs.results).run("schema-check")
    assert empty.returncode == 0, empty.stderr
    assert empty.json == {
        "compatible": True,
        "applied": 0,
        "known": own.json["known"],
        "unknown": [],
        "unknown_count": 0,
    }


def test_an_unknown_migration_script_is_a_newer_schema(jobs: DataJobs) -> None:
    jobs.sql("INSERT INTO script_migrations (script_name) VALUES ('migrate-from-the-future.js')")
    try:
        check = jobs.run("schema-check")
        assert check.returncode == SCHEMA_NEWER
        assert check.json["unknown"] == ["migrate-from-the-future.js"]
    finally:
        jobs.sql("DELETE FROM script_migrations WHERE script_name = 'migrate-from-the-future.js'")


def test_backups_keep_the_newest_and_are_never_overwritten(jobs: DataJobs) -> None:
    names = [
        "20260102-100000-on-request",
        "20260102-110000-on-request",
        "20260102-120000-pre-upgrade",
    ]
    for name in names:
        assert jobs.run("backup", name, keep=2).returncode == 0
    assert sorted(path.stem for path in jobs.backups.glob("*.dump")) == names[1:]
    third = jobs.run("backup", "20260102-130000-on-request", keep=2)
    assert third.json["removed"] == [names[1]]

    kept = jobs.backups / f"{names[2]}.dump"
    before = kept.read_bytes()
    again = jobs.run("backup", names[2])
    assert again.returncode == 1
    assert again.json == {
        "error": f"backup {names[2]} exists already; a backup is never overwritten"
    }
    assert kept.read_bytes() == before
    # keep 0 (the backup before a restore) removes nothing.
    assert jobs.run("backup", "20260102-140000-pre-restore", keep=0).json["removed"] == []
    assert len(list(jobs.backups.glob("*.dump"))) == 3


def test_a_damaged_backup_changes_nothing(jobs: DataJobs) -> None:
    assert jobs.run("backup", "20260103-100000-on-request").returncode == 0
    whole = (jobs.backups / "20260103-100000-on-request.dump").read_bytes()
    jobs.sql("CREATE TABLE written_after_the_backup (id int)")
    try:
        # Cut short within the data: pg_restore reads the table of contents, then fails
        # half-way, after the schema was dropped inside the transaction.
        (jobs.backups / "20260103-110000-on-request.dump").write_bytes(whole[: len(whole) - 4096])
        cut = jobs.run("restore", "20260103-110000-on-request")
        assert cut.returncode == 1
        assert cut.json == {"error": "pg_restore failed (exit 1)"}
        # Not an archive at all: refused before the database is touched.
        (jobs.backups / "20260103-120000-on-request.dump").write_bytes(b"not a dump")
        foreign = jobs.run("restore", "20260103-120000-on-request")
        assert foreign.returncode == 1
        assert "not a pg_dump archive" in foreign.json["error"]
        assert jobs.sql("SELECT to_regclass('written_after_the_backup')") == (
            "written_after_the_backup"
        )
        assert jobs.sql("SELECT count(*) FROM product") == "4"
    finally:
        jobs.sql("DROP TABLE written_after_the_backup")


def test_a_failed_backup_says_why_and_leaves_no_file(jobs: DataJobs) -> None:
    elsewhere = replace(jobs, database="store_that_is_not_there")
    failed = elsewhere.run("backup", "20260105-100000-on-request")
    assert failed.returncode == 1
    # pg_dump's own reason, in the answer the Job's termination message carries.
    assert failed.json["error"].startswith("pg_dump failed (exit 1): ")
    assert "store_that_is_not_there" in failed.json["error"]
    assert PASSWORD not in failed.json["error"] + failed.stderr + failed.stdout
    assert list(jobs.backups.glob("20260105-*")) == []


def test_a_backup_waits_until_the_database_admits_it(jobs: DataJobs, postgres: Postgres) -> None:
    # As a new pod is refused until the node's network policy agent admits it: the port
    # refuses connections for the first seconds, then forwards to the database.
    admission = ApiProxy(f"tcp://127.0.0.1:{postgres.port}")
    admission.port = free_port()  # nothing listens there for now: connections are refused
    opens = threading.Timer(3, admission.accept)
    opens.start()
    try:
        late = replace(jobs, port=admission.port, connect_seconds=30)
        answer = late.run("backup", "20260106-100000-on-request")
    finally:
        opens.cancel()
        admission.refuse()
    assert answer.returncode == 0, answer.stderr
    assert "backup: database reachable after" in answer.stderr
    assert (jobs.backups / "20260106-100000-on-request.dump").exists()


def test_a_missing_or_malformed_backup_name_is_refused(jobs: DataJobs) -> None:
    assert jobs.run("backup", "20260104-100000-on-request").returncode == 0
    missing = jobs.run("restore", "20260104-110000-on-request")
    assert missing.returncode == 1
    assert missing.json["error"] == (
        "no backup 20260104-110000-on-request on the backups volume"
        " (it has: 20260104-100000-on-request)"
    )
    for name in ("../../etc/passwd", "20260104-100000-On-Request", "latest", ""):
        for action in ("backup", "restore"):
            refused = jobs.run(action, name)
            assert refused.returncode == 1, (action, name)
            assert "is not <yyyymmdd>-<hhmmss>-<reason>" in refused.json["error"]
    assert [path.name for path in jobs.backups.iterdir()] == ["20260104-100000-on-request.dump"]


def test_no_command_prints_the_database_password(jobs: DataJobs, postgres: Postgres) -> None:
    answers = [
        jobs.run("backup", "20260105-100000-on-request"),
        jobs.run("schema-check"),
        jobs.run("restore", "20260105-100000-on-request"),
        jobs.run("restore", "20260105-110000-on-request"),
    ]
    # And when the database cannot be reached at all.
    gone = replace(jobs, port=free_port(), connect_seconds=2)
    unreachable = [gone.run("backup", "20260105-120000-on-request"), gone.run("schema-check")]
    for answer in unreachable:
        assert "cannot reach the database after 2 s (ECONNREFUSED)" in answer.json["error"]
    answers += unreachable
    assert [answer.returncode for answer in answers] == [0, 0, 0, 1, 1, 1]
    for answer in answers:
        for text in (answer.stdout, answer.stderr, answer.result_file):
            assert PASSWORD not in text
            assert "postgres://" not in text
