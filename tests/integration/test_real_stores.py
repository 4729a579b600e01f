"""Stores served for real: store_create on the sandbox's real node with the images the
project built here (one store directly, one through Argo, every DAG step a real pod
running as the provisioner), an order through the edge in Chromium, the admin listing
it, two stores kept apart by their network policies, upgrade, rollback and delete.

The tests run in file order and share the two stores; both are gone at the end."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storefleet_sandbox import SandboxClient
from tests.e2e.shopping import SHOPPER, order_with_cash_on_delivery
from tests.helm import helm_history
from tests.integration.ansible_run import (
    apply_platform,
    assert_not_changed,
    kubectl_json,
    namespace_exists,
    run_playbook,
    store,
)
from tests.integration.real_store import (
    Edge,
    browser,
    build_images,
    pod_exec,
    store_credentials,
    tcp_probe_script,
)
from tests.waiting import wait_for

# The first test waits for the module's fixtures too: image builds (a changed collection
# rebuilds the execution environment), the platform, Argo and two stores.
pytestmark = [
    pytest.mark.sandbox,
    pytest.mark.real_node,
    pytest.mark.slow,
    pytest.mark.timeout(3600),
]

FIRST, SECOND = "shop-a", "shop-b"
REAL_NODE = "sandbox-real-1"


@pytest.fixture(scope="module")
def release(sandbox: SandboxClient, workdir: Path) -> dict[str, str]:
    """The platform, the images built and recorded, and Argo with its templates."""
    apply_platform(sandbox, workdir)
    images = build_images(sandbox, workdir)
    run = run_playbook(
        sandbox, "storefleet.platform.argo", workdir / "argo", timeout=1200, real_node=True
    )
    assert run.ok, run.explain()
    return images


def create(sandbox: SandboxClient, workdir: Path, name: str, orchestrator: str) -> None:
    # No image tags: a new store runs the images the platform built last.
    run = run_playbook(
        sandbox,
        "storefleet.platform.store_create",
        workdir / f"create-{name}",
        extravars={"store_name": name, "store_orchestrator": orchestrator},
        timeout=1800,
        real_node=True,
    )
    assert run.ok, run.explain()


def delete(sandbox: SandboxClient, workdir: Path, name: str, suffix: str = "") -> Any:
    return run_playbook(
        sandbox, "storefleet.platform.store_delete", workdir / f"delete-{name}{suffix}",
        extravars={"store_name": name}, timeout=900, real_node=True,
    )  # fmt: skip


@pytest.fixture(scope="module")
def first(sandbox: SandboxClient, workdir: Path, release: dict[str, str]) -> Iterator[str]:
    create(sandbox, workdir, FIRST, "direct")
    yield FIRST
    if store(sandbox, FIRST):
        delete(sandbox, workdir, FIRST, "-cleanup")


@pytest.fixture(scope="module")
def second(sandbox: SandboxClient, workdir: Path, release: dict[str, str]) -> Iterator[str]:
    create(sandbox, workdir, SECOND, "argo")
    yield SECOND
    if store(sandbox, SECOND):
        delete(sandbox, workdir, SECOND, "-cleanup")


def pods(sandbox: SandboxClient, name: str) -> list[dict[str, Any]]:
    return kubectl_json(sandbox, "-n", f"store-{name}", "get", "pods")["items"]


def test_every_store_pod_runs_on_the_real_node(
    sandbox: SandboxClient, first: str, release: dict[str, str]
) -> None:
    assert store(sandbox, first)["status"]["phase"] == "Ready"
    found = pods(sandbox, first)
    assert found
    images = set()
    for pod in found:
        assert pod["spec"]["nodeName"] == REAL_NODE, pod["metadata"]["name"]
        if pod["metadata"].get("labels", {}).get("job-name"):
            assert pod["status"]["phase"] == "Succeeded", pod["metadata"]["name"]
            continue
        assert pod["status"]["phase"] == "Running"
        assert all(status["ready"] for status in pod["status"]["containerStatuses"]), pod[
            "metadata"
        ]["name"]
        images.update(status["image"] for status in pod["status"]["containerStatuses"])
    assert release["medusa-backend"] in images
    assert release["medusa-storefront"] in images


def test_bootstrap_restored_the_snapshot_and_admin_wrote_the_key(
    sandbox: SandboxClient, first: str
) -> None:
    namespace = f"store-{first}"
    jobs = kubectl_json(sandbox, "-n", namespace, "get", "jobs")["items"]
    bootstrap = next(
        job["metadata"]["name"] for job in jobs if "bootstrap" in job["metadata"]["name"]
    )
    log = sandbox.kubectl("-n", namespace, "logs", f"job/{bootstrap}")
    assert json.loads(log.strip().splitlines()[-1])["action"] == "restore"
    key = kubectl_json(sandbox, "-n", namespace, "get", "secret", "store-publishable-key")
    assert base64.b64decode(key["data"]["publishable-key"]).decode().startswith("pk_")


def test_an_order_through_the_edge_shows_in_the_admin(
    sandbox: SandboxClient, first: str, workdir: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    edge = Edge(first)
    with sync_playwright() as playwright, browser(playwright) as chromium:
        page = chromium.new_page()
        page.goto(f"{edge.origin}/")
        expect(page.get_by_test_id("product-card")).to_have_count(4)
        number = order_with_cash_on_delivery(page, edge.origin, "Fleet T-Shirt", "L")
        assert re.fullmatch(r"#\d+", number), number
        page.screenshot(path=str(workdir / "real-order-confirmation.png"), full_page=True)

        email, password = store_credentials(sandbox, first)
        admin = chromium.new_page()
        admin.goto(f"{edge.origin}/app/login")
        admin.locator("input[name='email']").fill(email)
        admin.locator("input[name='password']").fill(password)
        admin.locator("button[type='submit']").click()
        admin.wait_for_url(re.compile(r".*/app/orders.*"))
        expect(admin.get_by_text(number).first).to_be_visible()

    orders = {
        order["display_id"]: order for order in edge.admin_orders(edge.admin_token(email, password))
    }
    assert orders[int(number.lstrip("#"))]["email"] == SHOPPER["email"]


def test_every_step_of_the_argo_store_ran_as_a_real_pod_of_the_provisioner(
    sandbox: SandboxClient, second: str
) -> None:
    workflows = kubectl_json(
        sandbox,
        "-n",
        "storefleet-system",
        "get",
        "workflows",
        "-l",
        f"storefleet.io/store={second}",
    )["items"]
    (workflow,) = [w for w in workflows if w["status"].get("phase") == "Succeeded"]
    steps = [n for n in workflow["status"]["nodes"].values() if n.get("type") == "Pod"]
    assert len(steps) >= 10
    for step in steps:
        # Each step was a pod on the real node, and it succeeded (its pod is collected).
        assert step["phase"] == "Succeeded", step["displayName"]
        assert step["hostNodeName"] == REAL_NODE, step["displayName"]
    # The steps' pods ran as the workflow's account: the platform's provisioner.
    ran_as = workflow["status"]["storedWorkflowTemplateSpec"]["serviceAccountName"]
    assert ran_as == "storefleet-provisioner"
    assert workflow["spec"]["workflowTemplateRef"]["name"] == "store-provision"
    assert store(sandbox, second)["status"]["phase"] == "Ready"


def test_a_second_argo_create_of_the_ready_store_submits_nothing(
    sandbox: SandboxClient, second: str, workdir: Path
) -> None:
    def workflows() -> list[str]:
        listed = kubectl_json(
            sandbox, "-n", "storefleet-system", "get", "workflows", "-l",
            f"storefleet.io/store={second}",
        )  # fmt: skip
        return sorted(w["metadata"]["name"] for w in listed["items"])

    applied = store(sandbox, second)["status"]["appliedRequest"]
    before = workflows()
    run = run_playbook(
        sandbox, "storefleet.platform.store_create", workdir / f"create-{second}-again",
        extravars={"store_name": second, "store_orchestrator": "argo"}, timeout=600,
        real_node=True,
    )  # fmt: skip
    assert_not_changed(run)
    assert "no workflow submitted" in run.stdout
    assert workflows() == before
    assert store(sandbox, second)["status"]["appliedRequest"] == applied


def test_two_stores_side_by_side_see_only_their_own_orders(
    sandbox: SandboxClient, first: str, second: str
) -> None:
    token_a = Edge(first).admin_token(*store_credentials(sandbox, first))
    token_b = Edge(second).admin_token(*store_credentials(sandbox, second))
    assert Edge(first).admin_orders(token_a)
    assert Edge(second).admin_orders(token_b) == []
    # A token of one store is refused by the other.
    status, _ = Edge(second).request(
        "/admin/orders", headers={"authorization": f"Bearer {token_a}"}
    )
    assert status == 401


def service_address(sandbox: SandboxClient, store_name: str, component: str) -> tuple[str, int]:
    """Where a store's Service sends a connection: its cluster IP, or for a headless
    Service (PostgreSQL's) the address of the pod behind it."""
    namespace = f"store-{store_name}"
    name = f"{store_name}-store-{component}"
    service = kubectl_json(sandbox, "-n", namespace, "get", "service", name)
    port = int(service["spec"]["ports"][0]["port"])
    if service["spec"]["clusterIP"] != "None":
        return service["spec"]["clusterIP"], port
    slices = kubectl_json(
        sandbox, "-n", namespace, "get", "endpointslices", "-l",
        f"kubernetes.io/service-name={name}",
    )["items"]  # fmt: skip
    return slices[0]["endpoints"][0]["addresses"][0], port


def probe(sandbox: SandboxClient, namespace: str, selector: str, host: str, port: int) -> str:
    return pod_exec(sandbox, namespace, selector, tcp_probe_script(host, port)).strip()


# Who the store's own policies let in: each probe's target first answers its own client.
OWN_CLIENT = {
    "postgresql": "app.kubernetes.io/component=backend",
    "redis": "app.kubernetes.io/component=backend",
    "backend": "app.kubernetes.io/component=storefront",
}


@pytest.mark.parametrize("component", ["postgresql", "redis", "backend"])
def test_a_store_cannot_reach_the_other_stores_services(
    sandbox: SandboxClient, first: str, second: str, component: str
) -> None:
    host, port = service_address(sandbox, second, component)
    assert probe(sandbox, f"store-{second}", OWN_CLIENT[component], host, port) == "OPEN"
    for selector in (
        "app.kubernetes.io/component=backend",
        "app.kubernetes.io/component=storefront",
    ):
        assert probe(sandbox, f"store-{first}", selector, host, port).startswith("BLOCKED"), (
            selector
        )


def test_a_store_reaches_its_own_services_and_dns_but_not_the_metadata_address(
    sandbox: SandboxClient, first: str
) -> None:
    namespace = f"store-{first}"
    backend = "app.kubernetes.io/component=backend"
    for component in ("postgresql", "redis"):
        host, port = service_address(sandbox, first, component)
        assert probe(sandbox, namespace, backend, host, port) == "OPEN", component
    resolved = pod_exec(
        sandbox,
        namespace,
        backend,
        f"require('dns').lookup('{first}-store-postgresql',(e,a)=>console.log(e?'ERR '+e.code:a))",
    ).strip()
    assert resolved == service_address(sandbox, first, "postgresql")[0]
    assert probe(sandbox, namespace, backend, "169.254.169.254", 80).startswith("BLOCKED")


def test_upgrade_to_a_second_backend_build_keeps_the_order_then_rollback(
    sandbox: SandboxClient, first: str, workdir: Path, release: dict[str, str]
) -> None:
    edge = Edge(first)
    email, password = store_credentials(sandbox, first)
    before = {order["display_id"] for order in edge.admin_orders(edge.admin_token(email, password))}
    assert before
    second_tag = rebuild_backend_with_a_change(release["medusa-backend"], workdir)
    run = run_playbook(
        sandbox, "storefleet.platform.store_upgrade", workdir / "upgrade",
        extravars={"store_name": first, "store_backend_image_tag": second_tag}, timeout=1200,
        real_node=True,
    )  # fmt: skip
    assert run.ok, run.explain()
    backend = [
        p
        for p in pods(sandbox, first)
        if "backend" in p["metadata"]["name"] and p["status"]["phase"] == "Running"
    ]
    assert backend and all(second_tag in p["spec"]["containers"][0]["image"] for p in backend)
    after = {order["display_id"] for order in edge.admin_orders(edge.admin_token(email, password))}
    assert before <= after

    run = run_playbook(
        sandbox, "storefleet.platform.store_rollback", workdir / "rollback",
        extravars={"store_name": first}, timeout=1200, real_node=True,
    )  # fmt: skip
    assert run.ok, run.explain()
    history = helm_history(sandbox, first)
    assert history[-1]["status"] == "deployed" and len(history) >= 3
    wait_for(
        lambda: all(
            release["medusa-backend"] == p["spec"]["containers"][0]["image"]
            for p in pods(sandbox, first)
            if p["metadata"].get("labels", {}).get("app.kubernetes.io/component") == "backend"
            and p["status"]["phase"] == "Running"
        ),
        300,
        "the backend back on the first build",
    )
    assert before <= {o["display_id"] for o in edge.admin_orders(edge.admin_token(email, password))}


def rebuild_backend_with_a_change(reference: str, workdir: Path) -> str:
    """A second backend build from a small change: the first image with one more label
    and another app build stamp (so its bootstrap migrates, as a new build's does),
    tagged and pushed as a new content tag."""
    import subprocess

    tag = f"{reference.rsplit(':', 1)[1]}-r2"
    repository = reference.rsplit(":", 1)[0]
    pulled = ["buildah", "from", "--pull-always", "--tls-verify=false", f"docker://{reference}"]
    container = subprocess.run(pulled, capture_output=True, text=True, check=True).stdout.strip()
    stamp = workdir / "second-build-stamp"
    stamp.write_text(f"second-build-{tag}\n")
    try:
        subprocess.run(
            ["buildah", "config", "--label", "storefleet.io/change=second-build", container],
            check=True,
        )
        subprocess.run(
            ["buildah", "copy", "--chmod", "0644", container, str(stamp), "/app/.storefleet-stamp"],
            check=True, capture_output=True,
        )  # fmt: skip
        commit = [
            "buildah",
            "commit",
            "--quiet",
            "--format",
            "docker",
            container,
            f"{repository}:{tag}",
        ]
        subprocess.run(commit, check=True, capture_output=True)
    finally:
        subprocess.run(["buildah", "rm", container], check=False, capture_output=True)
    push = ["buildah", "push", "--quiet", "--tls-verify=false", f"{repository}:{tag}"]
    subprocess.run([*push, f"docker://{repository}:{tag}"], check=True)
    return tag


def test_delete_leaves_nothing_on_the_node(
    sandbox: SandboxClient, first: str, workdir: Path
) -> None:
    namespace = f"store-{first}"
    volumes = [
        (pv["spec"].get("local") or pv["spec"]["hostPath"])["path"]
        for pv in kubectl_json(sandbox, "get", "pv")["items"]
        if pv["spec"].get("claimRef", {}).get("namespace") == namespace
    ]
    assert volumes
    run = run_playbook(
        sandbox,
        "storefleet.platform.store_delete",
        workdir / "delete",
        extravars={"store_name": first},
    )
    assert run.ok, run.explain()
    assert not namespace_exists(sandbox, namespace)
    assert store(sandbox, first) is None
    wait_for(
        lambda: not any(Path(v).exists() for v in volumes),
        120,
        "the store's volumes gone from the node",
    )

    def containers_of_the_store() -> list[dict[str, Any]]:
        return [
            c
            for c in sandbox.real_node_containers()
            if c.get("labels", {}).get("io.kubernetes.pod.namespace") == namespace
        ]

    assert not [c for c in containers_of_the_store() if c["state"] == "CONTAINER_RUNNING"]
    # Exited containers of deleted pods go at the kubelet's next container GC (each minute).
    wait_for(lambda: not containers_of_the_store(), 150, "the store's containers removed")
    again = run_playbook(
        sandbox,
        "storefleet.platform.store_delete",
        workdir / "delete-again",
        extravars={"store_name": first},
    )
    assert_not_changed(again)
