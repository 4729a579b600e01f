"""Render charts/store with real helm and check what every plan and mode produces."""

from __future__ import annotations

import pytest

from tests.helm import STORE_CHART as CHART
from tests.helm import helm_template
from tests.unit.chart import (
    PLANS,
    VALUES,
    WORKER_MODES,
    component,
    containers,
    env_of,
    of_kind,
    pod_specs,
    render,
    render_plan,
)

# Volume types PodSecurity "restricted" allows.
RESTRICTED_VOLUMES = {
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
}


@pytest.mark.parametrize("worker_mode", WORKER_MODES)
@pytest.mark.parametrize("plan", PLANS)
def test_every_container_has_the_plans_requests_and_limits(plan: str, worker_mode: str) -> None:
    sizes = VALUES["plans"][plan]
    for workload, pod in pod_specs(render_plan(plan, worker_mode)):
        part = "jobs" if workload["kind"] == "Job" else component(workload)
        for container in containers(pod):
            where = f"{workload['metadata']['name']}/{container['name']}"
            resources = container.get("resources", {})
            for kind in ("requests", "limits"):
                assert set(resources.get(kind, {})) == {"cpu", "memory"}, where
            assert resources == sizes[part]["resources"], where


@pytest.mark.parametrize("plan", PLANS)
def test_replicas_and_volume_follow_the_plan(plan: str) -> None:
    sizes = VALUES["plans"][plan]
    docs = render_plan(plan, "split")
    replicas = {component(d): d["spec"]["replicas"] for d in of_kind(docs, "Deployment")}
    assert replicas == {
        "backend": sizes["backend"]["replicas"],
        "worker": sizes["worker"]["replicas"],
        "storefront": sizes["storefront"]["replicas"],
        "redis": 1,
    }
    (postgresql,) = of_kind(docs, "StatefulSet")
    (claim,) = postgresql["spec"]["volumeClaimTemplates"]
    assert claim["spec"]["resources"]["requests"]["storage"] == sizes["postgresql"]["storage"]
    assert "storageClassName" not in claim["spec"]  # empty value: the cluster default


@pytest.mark.parametrize("plan", PLANS)
def test_deployments_surge_one_pod_and_keep_all_available(plan: str) -> None:
    for deployment in of_kind(render_plan(plan, "split"), "Deployment"):
        strategy = deployment["spec"]["strategy"]
        if component(deployment) == "redis":
            assert strategy == {"type": "Recreate"}
        else:
            assert strategy["rollingUpdate"] == {"maxSurge": 1, "maxUnavailable": 0}


@pytest.mark.parametrize("worker_mode", WORKER_MODES)
@pytest.mark.parametrize("plan", PLANS)
def test_pods_satisfy_pod_security_restricted(plan: str, worker_mode: str) -> None:
    for workload, pod in pod_specs(render_plan(plan, worker_mode)):
        name = workload["metadata"]["name"]
        context = pod["securityContext"]
        assert context["runAsNonRoot"] is True, name
        assert context["runAsUser"] != 0, name
        assert context["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert not any(pod.get(key) for key in ("hostNetwork", "hostPID", "hostIPC")), name
        for volume in pod.get("volumes", []):
            assert set(volume) - {"name"} <= RESTRICTED_VOLUMES, f"{name}: {volume}"
        for container in containers(pod):
            where = f"{name}/{container['name']}"
            security = container["securityContext"]
            assert security["allowPrivilegeEscalation"] is False, where
            assert security["capabilities"] == {"drop": ["ALL"]}, where
            assert security["readOnlyRootFilesystem"] is True, where
            assert security.get("runAsUser", context["runAsUser"]) != 0, where
            assert not any(port.get("hostPort") for port in container.get("ports", [])), where


def test_only_the_admin_job_gets_an_api_token() -> None:
    tokens = {
        component(workload): pod["automountServiceAccountToken"]
        for workload, pod in pod_specs(render_plan("small", "split"))
    }
    assert tokens == {
        "backend": False,
        "worker": False,
        "storefront": False,
        "redis": False,
        "postgresql": False,
        "bootstrap": False,
        "admin": True,
    }


def test_admin_role_writes_only_the_publishable_key_secret() -> None:
    (role,) = of_kind(render(), "Role")
    assert role["rules"] == [
        {"apiGroups": [""], "resources": ["secrets"], "verbs": ["create"]},
        {
            "apiGroups": [""],
            "resources": ["secrets"],
            "resourceNames": ["store-publishable-key"],
            "verbs": ["get", "patch", "update"],
        },
    ]
    (binding,) = of_kind(render(), "RoleBinding")
    (admin_job,) = (job for job in of_kind(render(), "Job") if component(job) == "admin")
    account = admin_job["spec"]["template"]["spec"]["serviceAccountName"]
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": account, "namespace": "store-demo"}
    ]


@pytest.mark.parametrize("plan", PLANS)
def test_worker_deployment_only_in_split_mode(plan: str) -> None:
    def backend_and_worker(mode: str) -> dict[str, str]:
        deployments = of_kind(render_plan(plan, mode), "Deployment")
        return {
            component(d): env_of(d["spec"]["template"]["spec"]["containers"][0])[
                "MEDUSA_WORKER_MODE"
            ]
            for d in deployments
            if component(d) in ("backend", "worker")
        }

    assert backend_and_worker("shared") == {"backend": "shared"}
    assert backend_and_worker("split") == {"backend": "server", "worker": "worker"}


def test_medusa_environment_follows_the_contract() -> None:
    docs = render_plan("small", "shared", "--set", "medusa.cookieSecure=true")
    (backend,) = (d for d in of_kind(docs, "Deployment") if component(d) == "backend")
    container = backend["spec"]["template"]["spec"]["containers"][0]
    names = [item["name"] for item in container["env"]]
    env = env_of(container)
    # $(POSTGRES_PASSWORD) only expands when that variable is defined earlier.
    assert names.index("POSTGRES_PASSWORD") < names.index("DATABASE_URL")
    assert env["DATABASE_URL"] == (
        "postgres://medusa:$(POSTGRES_PASSWORD)@demo-store-postgresql:5432/medusa"
    )
    assert env["REDIS_URL"] == "redis://demo-store-redis:6379"
    # Storefront, API and admin share the store's origin.
    for origin in ("STORE_CORS", "ADMIN_CORS", "AUTH_CORS", "MEDUSA_PUBLIC_URL"):
        assert env[origin] == "http://demo.storefleet.example"
    assert env["MEDUSA_COOKIE_SECURE"] == "true"
    assert env["PORT"] == "9000"
    for key, secret_key in (("JWT_SECRET", "jwt-secret"), ("COOKIE_SECRET", "cookie-secret")):
        assert env[key] == {"secretKeyRef": {"name": "store-credentials", "key": secret_key}}
    probe = container["readinessProbe"]["httpGet"]
    assert (probe["path"], probe["port"]) == ("/health", "http")


def test_storefront_reads_the_publishable_key_when_it_exists() -> None:
    docs = render()
    (storefront,) = (d for d in of_kind(docs, "Deployment") if component(d) == "storefront")
    container = storefront["spec"]["template"]["spec"]["containers"][0]
    env = env_of(container)
    assert env["MEDUSA_BACKEND_URL"] == "http://demo-store-backend:9000"
    assert env["MEDUSA_PUBLISHABLE_KEY"] == {
        "secretKeyRef": {
            "name": "store-publishable-key",
            "key": "publishable-key",
            "optional": True,
        }
    }
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == "/api/health"
    assert container["ports"] == [{"name": "http", "containerPort": 8000, "protocol": "TCP"}]


def test_bootstrap_job_waits_for_postgresql_and_passes_the_seed_choice() -> None:
    docs = render("--set", "medusa.seedDemoData=false")
    (bootstrap,) = (job for job in of_kind(docs, "Job") if component(job) == "bootstrap")
    pod = bootstrap["spec"]["template"]["spec"]
    (wait,) = pod["initContainers"]
    assert wait["image"].startswith("docker.io/library/postgres:15")
    assert "pg_isready" in wait["command"][-1]
    (main,) = pod["containers"]
    assert main["args"] == ["bootstrap"]
    assert env_of(main)["MEDUSA_SEED_DEMO_DATA"] == "false"
    assert bootstrap["spec"]["backoffLimit"] == 3
    assert "ttlSecondsAfterFinished" not in bootstrap["spec"]


BACKEND_PATHS = ["/store", "/admin", "/auth", "/app", "/static", "/hooks"]


def test_the_store_is_routed_on_the_platform_gateway_by_default() -> None:
    docs = render()
    assert not of_kind(docs, "Ingress")
    (route,) = of_kind(docs, "HTTPRoute")
    assert route["spec"]["parentRefs"] == [
        {
            "group": "gateway.networking.k8s.io",
            "kind": "Gateway",
            "name": "storefleet",
            "namespace": "storefleet-system",
        }
    ]
    assert route["spec"]["hostnames"] == ["demo.storefleet.example"]
    api, web = route["spec"]["rules"]
    assert [match["path"]["value"] for match in api["matches"]] == BACKEND_PATHS
    assert {match["path"]["type"] for match in api["matches"]} == {"PathPrefix"}
    assert api["backendRefs"] == [{"name": "demo-store-backend", "port": 9000}]
    assert web["matches"] == [{"path": {"type": "PathPrefix", "value": "/"}}]
    assert web["backendRefs"] == [{"name": "demo-store-storefront", "port": 8000}]


def test_the_ingress_option_routes_the_same_paths_with_tls() -> None:
    docs = render("--values", str(CHART / "ci" / "ingress-values.yaml"))
    assert not of_kind(docs, "HTTPRoute")
    (ingress,) = of_kind(docs, "Ingress")
    assert ingress["spec"]["ingressClassName"] == "traefik"
    assert (
        ingress["metadata"]["annotations"]["cert-manager.io/cluster-issuer"] == "letsencrypt-prod"
    )
    assert ingress["spec"]["tls"] == [
        {"hosts": ["demo.shops.example.com"], "secretName": "demo-tls"}
    ]
    (rule,) = ingress["spec"]["rules"]
    paths = {path["path"]: path["backend"]["service"]["name"] for path in rule["http"]["paths"]}
    assert paths == {
        **dict.fromkeys(BACKEND_PATHS, "demo-store-backend"),
        "/": "demo-store-storefront",
    }
    (backend,) = (d for d in of_kind(docs, "Deployment") if component(d) == "backend")
    env = env_of(backend["spec"]["template"]["spec"]["containers"][0])
    assert env["STORE_CORS"] == "https://demo.shops.example.com"


def test_ingress_tls_secret_name_defaults_to_the_release() -> None:
    docs = render("--set", "expose.via=ingress", "--set", "expose.tls=true")
    (ingress,) = of_kind(docs, "Ingress")
    assert ingress["spec"]["tls"][0]["secretName"] == "demo-store-tls"
    assert "annotations" not in ingress["metadata"]


def test_every_pod_follows_the_placement() -> None:
    docs = render(
        "--values", str(CHART / "ci" / "ingress-values.yaml"), "--set", "medusa.workerMode=split"
    )
    pods = [
        doc["spec"]["template"]["spec"]
        for doc in docs
        if doc["kind"] in ("Deployment", "StatefulSet", "Job")
    ]
    assert len(pods) == 7
    for pod in pods:
        assert pod["nodeSelector"] == {"storefleet.io/real-node": "true"}
        assert pod["tolerations"][0]["key"] == "storefleet.io/real-node"
    assert all(
        "nodeSelector" not in doc["spec"]["template"]["spec"]
        for doc in render()
        if "template" in doc.get("spec", {})
    )


def test_job_names_carry_the_release_revision() -> None:
    jobs = {component(job): job for job in of_kind(render(), "Job")}
    # `helm template` renders revision 1; the integration test upgrades to revision 2.
    assert jobs["bootstrap"]["metadata"]["name"] == "demo-store-bootstrap-r1"
    assert jobs["admin"]["metadata"]["name"] == "demo-store-admin-r1"
    assert jobs["admin"]["metadata"]["labels"]["storefleet.io/helm-revision"] == "1"


def test_long_release_names_keep_every_name_a_dns_label() -> None:
    release = "s" * 53  # longest store name: store-<name> must stay a 63-character label
    docs = render(release=release)
    names = [doc["metadata"]["name"] for doc in docs]
    assert all(len(name) <= 63 and not name.endswith("-") for name in names), names
    jobs = sorted(doc["metadata"]["name"].rsplit("-", 2)[1:] for doc in of_kind(docs, "Job"))
    assert jobs == [["admin", "r1"], ["bootstrap", "r1"]]
    assert len({(doc["kind"], doc["metadata"]["name"]) for doc in docs}) == len(docs)


def test_every_resource_carries_the_store_instance_label() -> None:
    for doc in render_plan("small", "split"):
        labels = doc["metadata"]["labels"]
        assert labels["app.kubernetes.io/instance"] == "demo", doc["metadata"]["name"]
        assert labels["app.kubernetes.io/name"] == "store"


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (("--set", "plan=huge"), "plan"),
        (("--set", "medusa.workerMode=both"), "workerMode"),
        (("--set", "expose.host=Not A Host"), "host"),
        (("--set", "expose.via=tunnel"), "via"),
        (("--set", "plans.small.backend.replicas=0"), "replicas"),
        (("--set", "redisPassword=x"), "redisPassword"),
        (("--set", "images.backend.tag="), "tag"),
    ],
)
def test_bad_values_fail_before_anything_renders(args: tuple[str, ...], complaint: str) -> None:
    result = helm_template(*args)
    assert result.returncode != 0
    assert complaint in result.stderr
    assert not result.stdout.strip()
