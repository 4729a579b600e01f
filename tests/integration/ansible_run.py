"""Run the collection's playbooks the way the TUI does (through ansible-runner), and
read back what they did to a store on the sandbox.

Each run gets its own private data directory, so its artifacts (stdout, job events,
the command line) can be inspected afterwards, for instance for leaked secrets.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import re
import subprocess
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import ansible_runner
import yaml

from storefleet_sandbox import SandboxClient
from storefleet_sandbox.client import REPO_ROOT

SANDBOX_INVENTORY = REPO_ROOT / "inventories" / "sandbox"
# The sandbox inventory puts stores on the real node. Most tests exercise the lifecycle,
# not the store app: they keep the stores on the simulated nodes, where nothing runs
# and nothing waits for what only a running container produces.
ON_SIMULATED_NODES: dict[str, Any] = {
    "storefleet_cluster_simulated": True,
    "store_pod_node_selector": {"type": "kwok"},
    "store_pod_tolerations": [],
    "argo_step_node_selector": {"type": "kwok"},
    "argo_step_tolerations": [],
}


@dataclass(frozen=True)
class PlaybookRun:
    """What one ansible-playbook run did, read from ansible-runner's results."""

    playbook: str
    rc: int
    status: str
    stats: Mapping[str, Any]
    events: list[dict[str, Any]]
    stdout: str
    private_data_dir: Path

    @classmethod
    def from_runner(cls, runner: Any, playbook: str, private_data_dir: Path) -> PlaybookRun:
        """Read what ansible-runner recorded of a finished run."""
        stdout_file = Path(runner.config.artifact_dir) / "stdout"
        return cls(
            playbook=playbook,
            rc=runner.rc,
            status=runner.status,
            stats=runner.stats or {},
            events=list(runner.events),
            stdout=stdout_file.read_text() if stdout_file.exists() else "",
            private_data_dir=private_data_dir,
        )

    @property
    def ok(self) -> bool:
        return self.rc == 0 and self.status == "successful"

    @property
    def changed(self) -> int:
        return sum((self.stats.get("changed") or {}).values())

    def changed_tasks(self) -> list[str]:
        """Names of the tasks that reported a change, to explain a failed idempotence check."""
        return [
            event["event_data"].get("task", "?")
            for event in self.events
            if event.get("event") == "runner_on_ok" and event["event_data"]["res"].get("changed")
        ]

    def failure_messages(self) -> list[str]:
        """The `msg` of every failed task, in order."""
        return [
            str(event["event_data"]["res"].get("msg", ""))
            for event in self.events
            if event.get("event") == "runner_on_failed"
            and not event["event_data"].get("ignore_errors")
        ]

    def failed_tasks(self) -> list[str]:
        return [
            str(event["event_data"].get("task", ""))
            for event in self.events
            if event.get("event") == "runner_on_failed"
            and not event["event_data"].get("ignore_errors")
        ]

    def artifact_files(self) -> Iterator[Path]:
        """Every file ansible-runner wrote for this run (artifacts, env, inventory)."""
        for path in sorted(self.private_data_dir.rglob("*")):
            if path.is_file():
                yield path

    def explain(self) -> str:
        """Enough of the run to understand a failure in a test report."""
        tail = "\n".join(self.stdout.splitlines()[-40:])
        return f"{self.playbook}: rc={self.rc} status={self.status}\n{tail}"


def run_playbook(
    sandbox: SandboxClient,
    playbook: str,
    private_data_dir: Path,
    extravars: Mapping[str, Any] | None = None,
    tags: str | None = None,
    timeout: int = 600,
    real_node: bool = False,
    event_handler: Callable[[dict[str, Any]], bool] | None = None,
    cancel_callback: Callable[[], bool] | None = None,
    limit: str | None = None,
    flush_cache: bool = False,
    envvars: Mapping[str, str] | None = None,
) -> PlaybookRun:
    """Run `playbook` (a collection playbook name or a path) against the sandbox; stores
    go to the simulated nodes unless `real_node`. `event_handler` sees each runner event
    as it happens; `cancel_callback` returning True cancels the run (as the TUI does);
    `limit` is ansible-playbook's --limit, matched against the inventory as read at the
    start (the stores' cache, up to a minute old, unless `flush_cache`); `envvars` adds
    to the run's environment."""
    private_data_dir.mkdir(parents=True, exist_ok=True)
    env = sandbox.env()
    runner = ansible_runner.run(
        private_data_dir=str(private_data_dir),
        project_dir=str(REPO_ROOT),
        playbook=playbook,
        inventory=str(SANDBOX_INVENTORY),
        extravars={**({} if real_node else ON_SIMULATED_NODES), **(extravars or {})},
        tags=tags,
        limit=limit,
        cmdline="--flush-cache" if flush_cache else None,
        envvars={
            "ANSIBLE_CONFIG": str(REPO_ROOT / "ansible.cfg"),
            "STOREFLEET_KUBECONFIG": str(sandbox.kubeconfig),
            "K8S_AUTH_KUBECONFIG": str(sandbox.kubeconfig),
            "PATH": env["PATH"],
            "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_NOCOLOR": "1",
            **(envvars or {}),
        },
        quiet=True,
        timeout=timeout,
        event_handler=event_handler,
        cancel_callback=cancel_callback,
    )
    return PlaybookRun.from_runner(runner, playbook, private_data_dir)


def run_playbooks_at_once(
    sandbox: SandboxClient,
    runs: Mapping[str, tuple[str, Mapping[str, Any]]],
    base_dir: Path,
) -> dict[str, PlaybookRun]:
    """Run several playbooks concurrently, one ansible-playbook process each."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(runs)) as pool:
        futures = {
            key: pool.submit(run_playbook, sandbox, playbook, base_dir / key, extravars)
            for key, (playbook, extravars) in runs.items()
        }
        return {key: future.result() for key, future in futures.items()}


def provisioner_kubeconfig(sandbox: SandboxClient, path: Path) -> Path:
    """A kubeconfig for the sandbox as the platform's provisioner (a service account
    token), the identity a workflow step runs as."""
    token = sandbox.kubectl(
        "-n", "storefleet-system", "create", "token", "storefleet-provisioner", "--duration=2h"
    ).strip()
    config = yaml.safe_load(sandbox.kubeconfig.read_text())
    context = next(c for c in config["contexts"] if c["name"] == config["current-context"])
    context["context"]["user"] = "provisioner"
    config["users"] = [{"name": "provisioner", "user": {"token": token}}]
    config["contexts"] = [context]
    path.write_text(yaml.safe_dump(config))
    path.chmod(0o600)
    return path


def api_server_addresses(sandbox: SandboxClient) -> tuple[set[str], set[int]]:
    """The API server's own addresses and ports: the `kubernetes` EndpointSlice, or (an
    API server advertising a loopback address has none) the kubeconfig's server."""
    found = sandbox.kubectl(
        "-n", "default", "get", "endpointslice", "kubernetes", "--ignore-not-found", "-o", "json"
    )
    if found.strip():
        endpoints = json.loads(found)
        addresses = {a for e in endpoints.get("endpoints") or [] for a in e["addresses"]}
        if addresses:
            return addresses, {p["port"] for p in endpoints["ports"]}
    server = yaml.safe_load(sandbox.kubeconfig.read_text())["clusters"][0]["cluster"]["server"]
    host, port = re.fullmatch(r"https://([0-9.]+):([0-9]+)", server).groups()
    return {host}, {int(port)}


def kubectl_json(sandbox: SandboxClient, *args: str) -> Any:
    """`kubectl ... -o json`, parsed."""
    return json.loads(sandbox.kubectl(*args, "-o", "json"))


def environment_for_cli(sandbox: SandboxClient) -> dict[str, str]:
    """Environment for running ansible-playbook directly against the sandbox."""
    return {
        **sandbox.env(),
        "ANSIBLE_CONFIG": str(REPO_ROOT / "ansible.cfg"),
        "STOREFLEET_KUBECONFIG": str(sandbox.kubeconfig),
        "PATH": f"{REPO_ROOT / '.venv' / 'bin'}{os.pathsep}{sandbox.env()['PATH']}",
    }


# --- Reading a store back from the sandbox ---------------------------------------------

PLATFORM_NAMESPACE = "storefleet-system"
PLATFORM_PLAYBOOK = str(REPO_ROOT / "playbooks" / "platform.yml")

_SUFFIXES = {
    "m": Decimal("0.001"),
    "k": Decimal(1000),
    "M": Decimal(1000) ** 2,
    "G": Decimal(1000) ** 3,
    "Ki": Decimal(1024),
    "Mi": Decimal(1024) ** 2,
    "Gi": Decimal(1024) ** 3,
    "Ti": Decimal(1024) ** 4,
}


def quantity(text: str) -> Decimal:
    """A Kubernetes quantity ("250m", "1536Mi", "3") as a number."""
    match = re.fullmatch(r"([0-9.]+)([a-zA-Z]*)", str(text))
    if not match:
        raise ValueError(f"not a quantity: {text!r}")
    number, suffix = match.groups()
    return Decimal(number) * _SUFFIXES.get(suffix, Decimal(1))


def apply_platform(sandbox: SandboxClient, workdir: Path) -> None:
    """Install the platform (Store CRD, RBAC, store cap) with its own playbook."""
    run = run_playbook(sandbox, PLATFORM_PLAYBOOK, workdir / "platform")
    assert run.ok, run.explain()


def store(sandbox: SandboxClient, name: str) -> dict[str, Any] | None:
    found = sandbox.kubectl(
        "-n",
        PLATFORM_NAMESPACE,
        "get",
        "stores.storefleet.io",
        name,
        "--ignore-not-found",
        "-o",
        "json",
    )
    return json.loads(found) if found.strip() else None


def namespace_exists(sandbox: SandboxClient, name: str) -> bool:
    return bool(
        sandbox.kubectl("get", "namespace", f"store-{name}", "--ignore-not-found", "-o", "name")
    )


def store_pods(sandbox: SandboxClient, name: str) -> list[dict[str, Any]]:
    return kubectl_json(sandbox, "-n", f"store-{name}", "get", "pods")["items"]


def running_pods_ready(sandbox: SandboxClient, name: str) -> bool:
    """Every non-Job pod of the store is Ready (Job pods have Succeeded)."""
    pods = store_pods(sandbox, name)
    long_running = [
        pod
        for pod in pods
        if not any(owner["kind"] == "Job" for owner in pod["metadata"].get("ownerReferences", []))
    ]
    return bool(long_running) and all(
        any(
            condition["type"] == "Ready" and condition["status"] == "True"
            for condition in pod["status"].get("conditions", [])
        )
        for pod in long_running
        if not pod["metadata"].get("deletionTimestamp")
    )


def deployment_images(sandbox: SandboxClient, name: str) -> dict[str, str]:
    deployments = kubectl_json(sandbox, "-n", f"store-{name}", "get", "deployments")["items"]
    return {
        deployment["metadata"]["labels"]["app.kubernetes.io/component"]: deployment["spec"][
            "template"
        ]["spec"]["containers"][0]["image"]
        for deployment in deployments
    }


def quota_failed_create_events(sandbox: SandboxClient, name: str) -> list[str]:
    events = kubectl_json(sandbox, "-n", f"store-{name}", "get", "events")["items"]
    return [
        f"{event['involvedObject']['kind']}/{event['involvedObject']['name']}: {event['message']}"
        for event in events
        if event.get("reason") == "FailedCreate" and "quota" in event.get("message", "")
    ]


@dataclass
class QuotaWatch:
    """Samples the store's ResourceQuota while something runs; records any overrun."""

    sandbox: SandboxClient
    name: str
    interval: float = 0.3
    samples: int = 0
    overruns: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> QuotaWatch:
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=10)

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                quota = kubectl_json(
                    self.sandbox, "-n", f"store-{self.name}", "get", "resourcequota", "store-quota"
                )
            except subprocess.CalledProcessError:
                continue
            hard = quota.get("status", {}).get("hard", {})
            used = quota.get("status", {}).get("used", {})
            self.samples += 1
            for resource, limit in hard.items():
                if resource in used and quantity(used[resource]) > quantity(limit):
                    self.overruns.append(f"{resource}: used {used[resource]} > hard {limit}")


def assert_not_changed(run: PlaybookRun) -> None:
    assert run.ok, run.explain()
    assert run.changed == 0, f"changed tasks on a re-run: {run.changed_tasks()}"
