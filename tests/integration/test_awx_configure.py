"""playbooks/awx_configure.yml against the AWX test server (tests/awx_server).

The real playbook and the real awx.awx 24.6.1 modules, run by ansible-playbook as an
operator runs them (address, token and secrets in the environment), talk HTTP to a
server that answers with the recorded AWX responses, remembers what was written and
checks every request against AWX's API schema. What only a real AWX shows is listed in
docs/awx.md.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
import yaml

from storefleet_sandbox.client import REPO_ROOT
from tests.awx_server import AwxTestServer

pytestmark = [pytest.mark.slow]

PLAYBOOK = "playbooks/awx_configure.yml"
SURVEYS = yaml.safe_load((REPO_ROOT / "roles" / "awx" / "vars" / "main.yml").read_text())[
    "awx_store_surveys"
]
KUBECONFIG = "apiVersion: v1\nkind: Config\n# secret-marker-7f3a\n"
REGISTRY_PASSWORD = "registry-secret-marker-51c2"
TEMPLATES = {
    "store-create": ("playbooks/store_create.yml", "store_create"),
    "store-delete": ("playbooks/store_delete.yml", "store_delete"),
    "store-upgrade": ("playbooks/store_upgrade.yml", "store_upgrade"),
    "store-rollback": ("playbooks/store_rollback.yml", "store_rollback"),
    "store-list": ("playbooks/store_list.yml", "store_list"),
    "store-smoke-check": ("playbooks/store_smoke_check.yml", "store_smoke_check"),
    "platform-site": ("playbooks/site.yml", "platform_site"),
}


@dataclass(frozen=True)
class ConfigureRun:
    """One ansible-playbook run, as an operator starts it, read from its JSON output."""

    rc: int
    report: dict[str, Any]
    output: str

    @property
    def ok(self) -> bool:
        return self.rc == 0

    @property
    def changed(self) -> int:
        return sum(host.get("changed", 0) for host in self.report.get("stats", {}).values())

    def results(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for play in self.report.get("plays", []):
            for task in play["tasks"]:
                for result in task["hosts"].values():
                    yield task["task"]["name"], result

    def changed_tasks(self) -> list[str]:
        return [name for name, result in self.results() if result.get("changed")]

    def failure_messages(self) -> list[str]:
        """The message of every failed task, and of every failed item of a loop."""
        found = []
        for _, result in self.results():
            for one in [result, *result.get("results", [])]:
                if one.get("failed") and one.get("msg"):
                    found.append(str(one["msg"]))
        return found

    def explain(self) -> str:
        return f"rc={self.rc}\n" + "\n".join(self.output.splitlines()[-40:])


def configure(
    awx: AwxTestServer,
    inventory: str = "local",
    check: bool = False,
    extravars: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> ConfigureRun:
    """ansible-playbook with the AWX address, token and secrets in its environment."""
    env = {
        **os.environ,
        "ANSIBLE_CONFIG": str(REPO_ROOT / "ansible.cfg"),
        "ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json",
        "ANSIBLE_LOAD_CALLBACK_PLUGINS": "1",
        "CONTROLLER_HOST": awx.url,
        "CONTROLLER_OAUTH_TOKEN": "admin-token",
        "STOREFLEET_AWX_KUBECONFIG": KUBECONFIG,
        "STOREFLEET_AWX_REGISTRY_USERNAME": "robot",
        "STOREFLEET_AWX_REGISTRY_PASSWORD": REGISTRY_PASSWORD,
        **(environ or {}),
    }
    command = ["ansible-playbook", "-i", str(REPO_ROOT / "inventories" / inventory), PLAYBOOK]
    if check:
        command.append("--check")
    if extravars:
        command += ["-e", json.dumps(dict(extravars))]
    done = subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    try:
        report = json.loads(done.stdout)
    except ValueError:
        report = {}
    return ConfigureRun(done.returncode, report, done.stdout + done.stderr)


def contract_kept(awx: AwxTestServer) -> None:
    assert awx.violations == []
    assert awx.unexpected_ignored() == []


@pytest.fixture
def awx() -> Iterator[AwxTestServer]:
    with AwxTestServer(seed="fresh") as server:
        yield server


@pytest.fixture(scope="module")
def configured() -> Iterator[tuple[AwxTestServer, ConfigureRun, ConfigureRun]]:
    """A fresh AWX configured from inventories/local, then configured again."""
    with AwxTestServer(seed="fresh") as server:
        first = configure(server)
        writes = len(server.writes())
        second = configure(server)
        assert len(server.writes()) == writes, [w.path for w in server.writes()[writes:]]
        yield server, first, second


def test_empty_awx_gets_every_object(
    configured: tuple[AwxTestServer, ConfigureRun, ConfigureRun],
) -> None:
    awx, first, _ = configured
    assert first.ok, first.explain()
    contract_kept(awx)
    org = awx.named("organizations", "Storefleet")
    assert {t["name"] for t in awx.state.objects["teams"].values()} == {
        "store-operators",
        "store-viewers",
    }
    for team in awx.state.objects["teams"].values():
        assert team["organization"] == org["id"]
    ctype = awx.named("credential_types", "Kubernetes kubeconfig")
    assert ctype["kind"] == "cloud"
    assert ctype["injectors"]["env"]["K8S_AUTH_KUBECONFIG"] == "{{ tower.filename.kubeconfig }}"
    assert ctype["injectors"]["extra_vars"] == {
        "storefleet_kubeconfig": "{{ tower.filename.kubeconfig }}"
    }
    credential = awx.named("credentials", "storefleet-local-kubeconfig")
    assert credential["inputs"] == {"kubeconfig": "$encrypted$"}
    assert (
        awx.state.find("credentials", "storefleet-local-kubeconfig")["inputs"]["kubeconfig"]
        == KUBECONFIG
    )
    project = awx.named("projects", "storefleet")
    assert (project["scm_type"], project["scm_branch"]) == ("git", "main")
    assert (
        project["default_environment"]
        == awx.named("execution_environments", "store-provisioner")["id"]
    )
    source = awx.named("inventory_sources", "storefleet-local-stores")
    assert source["source_path"] == "inventories/local/stores.storefleet.yml"
    assert source["credential"] == credential["id"]


def test_job_templates_run_their_playbooks_with_the_role_surveys(
    configured: tuple[AwxTestServer, ConfigureRun, ConfigureRun],
) -> None:
    awx, _, _ = configured
    inventory = awx.named("inventories", "storefleet-local")
    credential = awx.named("credentials", "storefleet-local-kubeconfig")
    for name, (playbook, survey) in TEMPLATES.items():
        template = awx.named("job_templates", name)
        assert template["playbook"] == playbook
        assert template["inventory"] == inventory["id"]
        assert template["survey_enabled"] is True
        assert template["ask_variables_on_launch"] is False
        assert template["allow_simultaneous"] is (name != "platform-site")
        assert awx.state.survey("job_templates", template["id"]) == SURVEYS[survey]
        assert awx.state.links[("job_templates", template["id"], "credentials")] == [
            credential["id"]
        ]


def test_workflow_creates_then_checks(
    configured: tuple[AwxTestServer, ConfigureRun, ConfigureRun],
) -> None:
    awx, _, _ = configured
    workflow = awx.named("workflow_job_templates", "store-create-and-check")
    assert (
        awx.state.survey("workflow_job_templates", workflow["id"])
        == SURVEYS["store_create_and_check"]
    )
    nodes = {
        n["identifier"]: n
        for n in awx.state.objects["workflow_job_template_nodes"].values()
        if n["workflow_job_template"] == workflow["id"]
    }
    assert set(nodes) == {"create", "smoke-check"}
    assert (
        nodes["create"]["unified_job_template"] == awx.named("job_templates", "store-create")["id"]
    )
    check = awx.named("job_templates", "store-smoke-check")
    assert nodes["smoke-check"]["unified_job_template"] == check["id"]
    create_id = nodes["create"]["id"]
    assert awx.state.links[("workflow_job_template_nodes", create_id, "success_nodes")] == [
        nodes["smoke-check"]["id"]
    ]


def test_teams_get_their_roles(
    configured: tuple[AwxTestServer, ConfigureRun, ConfigureRun],
) -> None:
    awx, _, _ = configured
    operators = awx.named("teams", "store-operators")["id"]
    viewers = awx.named("teams", "store-viewers")["id"]

    def holders(kind: str, name: str, role: str) -> list[int]:
        obj = awx.state.find(kind, name)
        assert obj is not None
        return awx.state.roles[obj["_roles"][role]]["teams"]

    for name in ("store-create", "store-delete", "store-upgrade", "store-rollback", "store-list"):
        assert holders("job_templates", name, "execute_role") == [operators]
        assert holders("job_templates", name, "read_role") == [viewers]
    assert holders("job_templates", "platform-site", "execute_role") == []
    assert holders("workflow_job_templates", "store-create-and-check", "execute_role") == [
        operators
    ]
    assert sorted(holders("inventories", "storefleet-local-stores", "read_role")) == sorted(
        [operators, viewers]
    )


def test_second_run_changes_nothing(
    configured: tuple[AwxTestServer, ConfigureRun, ConfigureRun],
) -> None:
    awx, _, second = configured
    assert second.ok, second.explain()
    assert second.changed == 0, second.changed_tasks()
    contract_kept(awx)


def test_secrets_stay_out_of_the_output(
    configured: tuple[AwxTestServer, ConfigureRun, ConfigureRun],
) -> None:
    _, first, second = configured
    for run in (first, second):
        assert "secret-marker-7f3a" not in run.output
        assert "admin-token" not in run.output


def test_survey_change_alone_is_applied(awx: AwxTestServer) -> None:
    assert configure(awx).ok
    surveys = copy.deepcopy(SURVEYS)
    name_question = surveys["store_rollback"]["spec"][0]
    surveys["store_rollback"]["spec"][0] = {**name_question, "question_description": "Which store?"}
    before = len(awx.writes())
    changed = configure(awx, extravars={"awx_store_surveys": surveys})
    assert changed.ok, changed.explain()
    assert changed.changed == 1, changed.changed_tasks()
    writes = [(w.method, w.path) for w in awx.writes()[before:]]
    rollback = awx.named("job_templates", "store-rollback")["id"]
    assert writes == [("POST", f"/api/v2/job_templates/{rollback}/survey_spec/")]
    assert (
        awx.state.survey("job_templates", rollback)["spec"][0]["question_description"]
        == "Which store?"
    )
    again = configure(awx, extravars={"awx_store_surveys": surveys})
    assert again.ok and again.changed == 0, again.changed_tasks()
    contract_kept(awx)


def test_survey_awx_would_rewrite_is_refused_before_anything_is_written(awx: AwxTestServer) -> None:
    surveys = copy.deepcopy(SURVEYS)
    plan = surveys["store_create"]["spec"][1]
    surveys["store_create"]["spec"][1] = {**plan, "choices": "small\nmedium\nlarge\n"}
    run = configure(awx, extravars={"awx_store_surveys": surveys})
    assert run.rc != 0
    assert any("choices must be a non-empty list" in m for m in run.failure_messages()), (
        run.explain()
    )
    assert awx.writes() == []


def test_new_credential_without_its_secret_is_refused_before_anything_is_written(
    awx: AwxTestServer,
) -> None:
    run = configure(awx, environ={"STOREFLEET_AWX_KUBECONFIG": ""})
    assert run.rc != 0
    assert any("storefleet-local-kubeconfig: kubeconfig" in m for m in run.failure_messages()), (
        run.explain()
    )
    assert awx.writes() == []


def test_existing_credential_keeps_its_secret_when_none_is_given(
    configured: tuple[AwxTestServer, ConfigureRun, ConfigureRun],
) -> None:
    awx, _, _ = configured
    before = len(awx.writes())
    run = configure(awx, environ={"STOREFLEET_AWX_KUBECONFIG": ""})
    assert run.ok and run.changed == 0, run.explain()
    assert len(awx.writes()) == before
    assert (
        awx.state.find("credentials", "storefleet-local-kubeconfig")["inputs"]["kubeconfig"]
        == KUBECONFIG
    )


def test_missing_awx_address_is_named() -> None:
    with AwxTestServer() as server:
        run = configure(server, environ={"CONTROLLER_HOST": ""})
        assert run.rc != 0
        assert any("Set CONTROLLER_HOST" in m for m in run.failure_messages()), run.explain()
        assert server.requests == []


def test_check_mode_on_an_empty_awx_writes_nothing_and_says_why_it_stops(
    awx: AwxTestServer,
) -> None:
    run = configure(awx, check=True)
    assert run.ok, run.explain()
    assert "AWX has no organization Storefleet yet" in run.output
    assert awx.writes() == []
    contract_kept(awx)


def test_check_mode_on_a_configured_awx_finds_nothing_to_change(
    configured: tuple[AwxTestServer, ConfigureRun, ConfigureRun],
) -> None:
    awx, _, _ = configured
    before = len(awx.writes())
    run = configure(awx, check=True)
    assert run.ok and run.changed == 0, run.explain()
    assert len(awx.writes()) == before


def test_recorded_awx_is_converged() -> None:
    """The AWX the responses were recorded from already has a store-create template
    (another playbook, a survey asking `plan`): the run takes it over."""
    with AwxTestServer(seed="recorded") as awx:
        assert awx.named("job_templates", "store-create")["playbook"] == "store_create.yml"
        first = configure(awx)
        assert first.ok, first.explain()
        template = awx.named("job_templates", "store-create")
        assert template["id"] == 7
        assert template["playbook"] == "playbooks/store_create.yml"
        assert awx.state.survey("job_templates", 7) == SURVEYS["store_create"]
        second = configure(awx)
        assert second.ok and second.changed == 0, second.changed_tasks()
        contract_kept(awx)


def test_production_inventory_configures_its_awx(awx: AwxTestServer) -> None:
    first = configure(awx, inventory="prod")
    assert first.ok, first.explain()
    registry = awx.named("credentials", "storefleet-prod-registry")
    assert registry["inputs"] == {
        "host": "registry.example.com",
        "username": "robot",
        "password": "$encrypted$",
    }
    environment = awx.named("execution_environments", "store-provisioner")
    assert environment["image"] == "registry.example.com/storefleet/store-provisioner:latest"
    assert environment["credential"] == registry["id"]
    assert (
        awx.named("inventory_sources", "storefleet-prod")["source_path"]
        == "inventories/prod/hosts.yml"
    )
    second = configure(awx, inventory="prod")
    assert second.ok and second.changed == 0, second.changed_tasks()
    before = len(awx.writes())
    check = configure(awx, inventory="prod", check=True)
    assert check.ok and check.changed == 0, check.changed_tasks()
    assert len(awx.writes()) == before
    contract_kept(awx)
    assert REGISTRY_PASSWORD not in first.output
