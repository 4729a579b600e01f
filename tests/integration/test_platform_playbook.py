"""The platform playbook on the sandbox: installs everything, and a second run changes nothing."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from storefleet_sandbox import SandboxClient
from tests.waiting import wait_for

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

REPO_ROOT = Path(__file__).resolve().parents[2]
PROVISIONER = "system:serviceaccount:storefleet-system:storefleet-provisioner"


def ansible_env(sandbox: SandboxClient) -> dict[str, str]:
    return {
        **sandbox.env(),
        "STOREFLEET_KUBECONFIG": str(sandbox.kubeconfig),
        "ANSIBLE_CONFIG": str(REPO_ROOT / "ansible.cfg"),
        "ANSIBLE_FORCE_COLOR": "0",
    }


def run_playbook(
    sandbox: SandboxClient, playbook: str, *args: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """ansible-playbook against the sandbox inventory, as a user runs it."""
    result = subprocess.run(
        ["ansible-playbook", "-i", "inventories/sandbox", playbook, *args],
        cwd=REPO_ROOT,
        env=ansible_env(sandbox),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"{playbook} failed:\n{result.stdout[-4000:]}\n{result.stderr}")
    return result


def changed_count(output: str) -> int:
    recap = [line for line in output.splitlines() if line.startswith("localhost")]
    return int(recap[-1].split("changed=")[1].split()[0])


def ensure_platform(sandbox: SandboxClient) -> None:
    """Install the platform unless a previous test already did."""
    installed = sandbox.kubectl(
        "get", "validatingadmissionpolicybinding", "storefleet-provisioner-scope",
        "--ignore-not-found", "-o", "name",
    )  # fmt: skip
    if not installed:
        run_playbook(sandbox, "storefleet.platform.platform")


@pytest.fixture(scope="module")
def first_run(sandbox: SandboxClient) -> subprocess.CompletedProcess[str]:
    return run_playbook(sandbox, "storefleet.platform.platform")


def test_platform_is_installed(sandbox: SandboxClient, first_run) -> None:
    crd = json.loads(sandbox.kubectl("get", "crd", "stores.storefleet.io", "-o", "json"))
    established = {c["type"]: c["status"] for c in crd["status"]["conditions"]}
    assert established["Established"] == "True"
    columns = [c["name"] for c in crd["spec"]["versions"][0]["additionalPrinterColumns"]]
    assert columns == ["Phase", "Plan", "Storefront URL", "Age"]
    namespace = json.loads(sandbox.kubectl("get", "namespace", "storefleet-system", "-o", "json"))
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    quota = json.loads(
        sandbox.kubectl(
            "-n", "storefleet-system", "get", "resourcequota", "storefleet-store-cap", "-o", "json"
        )
    )
    # inventories/sandbox/group_vars/all/platform.yml sets storefleet_store_cap: 10
    assert quota["spec"]["hard"] == {"count/stores.storefleet.io": "10"}
    sandbox.kubectl("-n", "storefleet-system", "get", "serviceaccount", "storefleet-provisioner")


def test_second_run_changes_nothing(sandbox: SandboxClient, first_run) -> None:
    second = run_playbook(sandbox, "storefleet.platform.platform")
    assert changed_count(second.stdout) == 0, second.stdout[-3000:]


def test_store_cap_counts_store_objects(sandbox: SandboxClient, first_run) -> None:
    def used() -> str | None:
        quota = json.loads(
            sandbox.kubectl(
                "-n", "storefleet-system", "get", "resourcequota", "storefleet-store-cap",
                "-o", "json",
            )
        )  # fmt: skip
        return (quota.get("status", {}).get("used") or {}).get("count/stores.storefleet.io")

    # The quota controller fills status.used shortly after the quota is created.
    count = wait_for(used, timeout=60, what="the store cap quota to report its use")
    stores = sandbox.kubectl("-n", "storefleet-system", "get", "stores", "-o", "name")
    assert int(count) == len(stores.split())


def test_assert_installed_passes_on_an_installed_platform(
    sandbox: SandboxClient, first_run, tmp_path: Path
) -> None:
    playbook = tmp_path / "check.yml"
    playbook.write_text(
        "- name: Check the platform\n"
        "  hosts: storefleet_controller\n"
        "  gather_facts: false\n"
        "  tasks:\n"
        "    - name: Assert the platform is installed\n"
        "      ansible.builtin.include_role:\n"
        "        name: storefleet.platform.platform\n"
        "        tasks_from: assert_installed\n"
    )
    result = run_playbook(sandbox, str(playbook))
    assert "Stop when the platform is not installed" in result.stdout

    # Drift: without the admission policy binding the provisioner is not confined, so the
    # store playbooks must stop; the platform playbook puts it back.
    sandbox.kubectl("delete", "validatingadmissionpolicybinding", "storefleet-provisioner-scope")
    try:
        result = run_playbook(sandbox, str(playbook), check=False)
        assert result.returncode != 0
        assert "The Storefleet platform is not installed" in result.stdout
        assert "storefleet.platform.platform" in result.stdout
    finally:
        repaired = run_playbook(sandbox, "storefleet.platform.platform")
    assert changed_count(repaired.stdout) == 1


def test_bad_store_cap_stops_before_touching_the_cluster(sandbox: SandboxClient, first_run) -> None:
    result = run_playbook(
        sandbox, "storefleet.platform.platform", "-e", "platform_store_cap=-3", check=False
    )
    assert result.returncode != 0
    assert "must be a whole number >= 1" in result.stdout
    assert changed_count(result.stdout) == 0


def test_store_list_runs(sandbox: SandboxClient, first_run) -> None:
    result = run_playbook(sandbox, "storefleet.platform.store_list")
    assert changed_count(result.stdout) == 0
