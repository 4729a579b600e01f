"""The collection's shared Molecule steps (.config/molecule/config.yml and
extensions/molecule/) catch a role whose second converge changes something: molecule's
idempotence step fails, naming the task, and destroy still runs. The fixture role
(tests/fixtures/molecule/unsteady_role) rewrites a file with the time of each run and
needs no cluster, so its scenario starts no sandbox."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
UNSTEADY_ROLE = REPO_ROOT / "tests" / "fixtures" / "molecule" / "unsteady_role"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

pytestmark = pytest.mark.slow


def test_a_role_that_changes_on_its_second_converge_fails_idempotence() -> None:
    environment = {
        **os.environ,
        "PATH": f"{REPO_ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "NO_COLOR": "1",
    }
    run = subprocess.run(
        [str(REPO_ROOT / ".venv" / "bin" / "molecule"), "test", "-s", "default"],
        cwd=UNSTEADY_ROLE,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = ANSI.sub("", run.stdout + run.stderr)
    assert run.returncode != 0, output
    # The first converge succeeded; the second, molecule's own check, failed on the task
    # that changed, and the scenario went on to nothing but the shared destroy.
    assert "[default > converge] Executed: Successful" in output, output
    failed = output.index("[default > idempotence] Executed: Failed")
    changed_tasks = re.compile(
        r"Idempotence test failed because of the following tasks:\n"
        r"\*  => .*: Write the time of this run"
    )
    assert changed_tasks.search(output), output
    assert "[default > verify]" not in output, output
    assert "[default > destroy] Executed: Successful" in output[failed:], output
