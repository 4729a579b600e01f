"""The store quota arithmetic, on a small values fixture and on the real chart."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from ansible_collections.storefleet.platform.plugins.module_utils import quantity, quota

CHART_VALUES = Path(__file__).resolve().parents[3] / "charts" / "store" / "values.yaml"


def pod(cpu_limit: str, memory_limit: str, cpu_request: str, memory_request: str) -> dict:
    return {
        "resources": {
            "limits": {"cpu": cpu_limit, "memory": memory_limit},
            "requests": {"cpu": cpu_request, "memory": memory_request},
        }
    }


VALUES = {
    "plan": "small",
    "plans": {
        "small": {
            "backend": {"replicas": 2, **pod("1", "1Gi", "250m", "512Mi")},
            "worker": {"replicas": 1, **pod("500m", "512Mi", "100m", "256Mi")},
            "storefront": {"replicas": 1, **pod("500m", "512Mi", "100m", "256Mi")},
            "postgresql": {"storage": "5Gi", **pod("1", "1Gi", "250m", "512Mi")},
            "redis": pod("250m", "256Mi", "50m", "64Mi"),
            "jobs": pod("1", "1Gi", "250m", "512Mi"),
            "uploads": {"storage": "2Gi"},
            "backups": {"storage": "3Gi"},
        }
    },
}


def test_split_mode_counts_surge_and_single_pods() -> None:
    hard = quota.store_quota(VALUES, "small", "split")
    # backend 3 pods, worker 2, storefront 2 (replicas + 1 surge), postgresql, redis,
    # the bootstrap and admin Job pods of one release and one data Job pod.
    assert hard["pods"] == "12"
    # 3*1 + 2*0.5 + 2*0.5 + 1 + 0.25 + 3*1 = 9.25 cores
    assert hard["limits.cpu"] == "9250m"
    # 3*1Gi + 2*512Mi + 2*512Mi + 1Gi + 256Mi + 3*1Gi = 9472Mi
    assert hard["limits.memory"] == "9472Mi"
    # 3*250 + 2*100 + 2*100 + 250 + 50 + 3*250 = 2200m
    assert hard["requests.cpu"] == "2200m"
    # 3*512 + 2*256 + 2*256 + 512 + 64 + 3*512 = 4672Mi
    assert hard["requests.memory"] == "4672Mi"
    # The database, uploads and backups claims: 5Gi + 2Gi + 3Gi.
    assert hard["persistentvolumeclaims"] == "3"
    assert hard["requests.storage"] == "10Gi"


def test_shared_mode_has_no_worker() -> None:
    hard = quota.store_quota(VALUES, "small", "shared")
    assert hard["pods"] == "10"
    assert hard["limits.cpu"] == "8250m"


def test_zero_replicas_adds_no_surge_pod() -> None:
    values = copy.deepcopy(VALUES)
    values["plans"]["small"]["worker"]["replicas"] = 0
    assert quota.store_quota(values, "small", "split")["pods"] == "10"


def test_claim_limit_is_the_largest_claim() -> None:
    assert quota.store_claim_limit(VALUES, "small") == "5Gi"
    values = copy.deepcopy(VALUES)
    values["plans"]["small"]["backups"]["storage"] = "8Gi"
    assert quota.store_claim_limit(values, "small") == "8Gi"
    with pytest.raises(quota.QuotaError, match="plan 'huge' is not one of the chart's plans"):
        quota.store_claim_limit(VALUES, "huge")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda v: v["plans"]["small"].pop("redis"), "plans.small.redis is missing"),
        (
            lambda v: v["plans"]["small"]["backend"]["resources"]["limits"].pop("memory"),
            "plans.small.backend.resources.limits.memory is missing",
        ),
        (
            lambda v: v["plans"]["small"]["jobs"]["resources"]["requests"].update(cpu="lots"),
            "plans.small.jobs.resources.requests.cpu: 'lots' is not a quantity",
        ),
        (lambda v: v["plans"]["small"]["postgresql"].pop("storage"), "storage is missing"),
        (lambda v: v["plans"]["small"].pop("backups"), "plans.small.backups is missing"),
        (
            lambda v: v["plans"]["small"]["uploads"].update(storage="big"),
            "plans.small.uploads.storage: 'big' is not a quantity",
        ),
        (lambda v: v["plans"]["small"]["backend"].update(replicas=-1), "whole number"),
    ],
)
def test_incomplete_values_name_the_missing_key(change, message: str) -> None:
    values = copy.deepcopy(VALUES)
    change(values)
    with pytest.raises(quota.QuotaError, match=message.replace("(", r"\(")):
        quota.store_quota(values, "small", "split")


def test_unknown_plan_and_mode_are_refused() -> None:
    with pytest.raises(quota.QuotaError, match="plan 'huge' is not one of the chart's plans"):
        quota.store_quota(VALUES, "huge", "split")
    with pytest.raises(quota.QuotaError, match="worker mode 'both'"):
        quota.store_quota(VALUES, "small", "both")
    with pytest.raises(quota.QuotaError, match="'plans' mapping"):
        quota.store_quota({}, "small", "split")


@pytest.mark.parametrize(
    ("text", "milli"), [("250m", 250), ("1", 1000), ("0.5", 500), (2, 2000), ("1.0001", 1001)]
)
def test_cpu_quantities(text: object, milli: int) -> None:
    assert quantity.millicores(text) == milli


@pytest.mark.parametrize(
    ("text", "count"),
    [("512Mi", 512 * 2**20), ("1Gi", 2**30), ("1G", 10**9), ("128974848", 128974848), ("1k", 1000)],
)
def test_byte_quantities(text: str, count: int) -> None:
    assert quantity.byte_count(text) == count


def test_canonical_formatting() -> None:
    assert quantity.format_cpu(3000) == "3"
    assert quantity.format_cpu(2500) == "2500m"
    assert quantity.format_bytes(3 * 2**30) == "3Gi"
    assert quantity.format_bytes(1536 * 2**20) == "1536Mi"
    assert quantity.format_bytes(1000) == "1000"


@pytest.mark.skipif(not CHART_VALUES.exists(), reason="charts/store/values.yaml not written yet")
@pytest.mark.parametrize("plan", ["small", "medium", "large"])
@pytest.mark.parametrize("worker_mode", ["split", "shared"])
def test_real_chart_values_give_a_quota(plan: str, worker_mode: str) -> None:
    values = yaml.safe_load(CHART_VALUES.read_text())
    hard = quota.store_quota(values, plan, worker_mode)
    assert int(hard["pods"]) >= 6
    assert quantity.millicores(hard["limits.cpu"]) >= quantity.millicores(hard["requests.cpu"])
    sizes = values["plans"][plan]
    claims = [quantity.byte_count(sizes[claim]["storage"]) for claim in quota.CLAIMS]
    assert quantity.byte_count(hard["requests.storage"]) == sum(claims)
    assert quantity.byte_count(quota.store_claim_limit(values, plan)) == max(claims)
