"""The filters as Ansible loads them: real templating, names resolved by the collection loader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ansible.errors import AnsibleError
from ansible_collections.storefleet.platform.plugins.filter import store as store_filters

from tests.unit.plugins.templating import render


def test_filter_module_lists_the_contract_names() -> None:
    names = set(store_filters.FilterModule().filters())
    assert {"store_name_error", "store_host", "store_namespace", "store_quota"} <= names


def test_filters_through_ansible_templating() -> None:
    assert render("'demo' | storefleet.platform.store_name_error") == ""
    assert "reserved" in render("'argo' | storefleet.platform.store_name_error")
    assert render("'demo' | storefleet.platform.store_namespace") == "store-demo"
    host = render("'demo' | storefleet.platform.store_host(domain)", domain="example.com")
    assert host == "demo.example.com"
    urls = render("'demo' | storefleet.platform.store_urls('example.com', true)")
    assert urls["admin"] == "https://demo.example.com/app"


def test_derived_filters_fail_with_the_rule() -> None:
    with pytest.raises(AnsibleError, match="underscore"):
        render("'my_store' | storefleet.platform.store_namespace")
    with pytest.raises(AnsibleError, match="plan 'huge'"):
        render("{'plans': {}} | storefleet.platform.store_quota('huge')")
    with pytest.raises(AnsibleError, match="plan 'huge'"):
        render("{'plans': {}} | storefleet.platform.store_claim_limit('huge')")


def test_claim_limit_through_ansible_templating() -> None:
    sizes = {"postgresql": {"storage": "5Gi"}, "uploads": {"storage": "2Gi"}}
    values = {"plans": {"small": {**sizes, "backups": {"storage": "6Gi"}}}}
    assert render("values | storefleet.platform.store_claim_limit('small')", values=values) == "6Gi"


# --- Filters that replaced Jinja programs in YAML ------------------------------------

FAILURES = [
    {"displayName": "store-provision-x", "message": "", "templateName": "provision"},
    {"displayName": "release", "message": "helm: timed out", "templateName": ""},
    {"displayName": "mark-failed(0)", "message": "exit 1", "templateName": ""},
    {"displayName": "mark-failed", "message": "retried", "templateName": "mark-failed"},
]


@pytest.mark.parametrize("encoded", [json.dumps(FAILURES), json.dumps(json.dumps(FAILURES))])
def test_workflow_failure_names_the_failed_steps(encoded: str) -> None:
    message = render("failures | storefleet.platform.store_workflow_failure('Failed')",
                     failures=encoded)  # fmt: skip
    assert message == "Workflow Failed at release: helm: timed out"


def test_workflow_failure_without_details() -> None:
    assert render("'' | storefleet.platform.store_workflow_failure('')") == "Workflow Failed"
    assert render("'[]' | storefleet.platform.store_workflow_failure('Error')") == "Workflow Error"


def test_node_lines() -> None:
    rows = [
        {"name": "validate", "phase": "Succeeded", "retries": 0, "message": ""},
        {"name": "release", "phase": "Running", "retries": 2, "message": "waiting"},
    ]
    assert render("rows | storefleet.platform.argo_node_lines", rows=rows) == [
        "validate     Succeeded",
        "release      Running (retry 2): waiting",
    ]


def test_store_list_lines() -> None:
    stores = [
        {"name": "demo", "phase": "Ready", "plan": "small", "pods": {"ready": 5, "total": 5},
         "helm_revision": 2, "urls": {"storefront": "http://demo.example.com"}},
        {"name": "new", "phase": None, "plan": None, "pods": None, "helm_revision": None,
         "urls": {}},
    ]  # fmt: skip
    lines = render("stores | storefleet.platform.store_list_lines", stores=stores)
    assert lines[0].split() == ["demo", "Ready", "small", "pods", "5/5", "rev", "2",
                                "http://demo.example.com"]  # fmt: skip
    assert lines[1].split() == ["new", "-", "-", "pods", "-/-", "rev", "-"]


def test_api_server_egress_is_the_endpoint_addresses_and_port() -> None:
    slices = [
        {
            "addressType": "IPv4",
            "endpoints": [{"addresses": ["10.0.0.1"]}, {"addresses": ["10.0.0.2"]},
                          {"addresses": ["10.0.0.3"], "conditions": {"ready": False}}],
            "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}],
        },
        {"addressType": "IPv6", "endpoints": [{"addresses": ["fd00::1"]}],
         "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]},
    ]  # fmt: skip
    assert render("s | storefleet.platform.api_server_egress", s=slices) == [
        {
            "to": [{"ipBlock": {"cidr": "10.0.0.1/32"}}, {"ipBlock": {"cidr": "10.0.0.2/32"}},
                   {"ipBlock": {"cidr": "fd00::1/128"}}],
            "ports": [{"protocol": "TCP", "port": 6443}],
        }
    ]  # fmt: skip
    with pytest.raises(AnsibleError, match="API server"):
        render("[] | storefleet.platform.api_server_egress")


def job(name: str, *conditions: str) -> dict:
    return {
        "metadata": {"name": name},
        "status": {"conditions": [{"type": kind, "status": "True"} for kind in conditions]},
    }


def test_failed_jobs() -> None:
    jobs = [job("a", "Failed"), job("b", "Complete"), job("c")]
    failed = render("j | storefleet.platform.failed_jobs", j=jobs)
    assert [j["metadata"]["name"] for j in failed] == ["a"]


def test_store_pods_not_ready() -> None:
    def pod(name: str, ready: str, owner: str) -> dict:
        return {
            "metadata": {"name": name, "ownerReferences": [{"kind": owner}]},
            "status": {"conditions": [{"type": "Ready", "status": ready}]},
        }

    pods = [pod("web", "True", "ReplicaSet"), pod("db", "False", "StatefulSet"),
            pod("bootstrap", "False", "Job")]  # fmt: skip
    waiting = render("p | storefleet.platform.store_pods_not_ready", p=pods)
    assert [p["metadata"]["name"] for p in waiting] == ["db"]


# --- The request contract through Ansible ---------------------------------------------


def test_a_request_read_from_workflow_parameters_is_never_templated(tmp_path: Path) -> None:
    witness = tmp_path / "ran"
    hostile = "1.0 store_plan={{ lookup('pipe', 'touch " + str(witness) + "') }}"
    text = json.dumps([{"name": "store-name", "value": "demo"},
                       {"name": "backend-image-tag", "value": hostile}])  # fmt: skip
    # As the store_phase playbook does: the text is data, like an environment lookup.
    request = render("text | storefleet.platform.store_request_from_workflow", text=text)
    assert request["store_backend_image_tag"] == hostile
    # Templating what came out renders it as it is, and runs nothing.
    assert render("request.store_backend_image_tag", request=request) == hostile
    assert not witness.exists()
    problems = render(
        "request | storefleet.platform.store_request_errors(['small'])", request=request
    )
    assert len(problems) == 1 and "is not a tag" in problems[0]


def test_request_filter_errors_are_ansible_errors() -> None:
    with pytest.raises(AnsibleError, match="unknown workflow parameter 'store-phase'"):
        render("'[{\"name\": \"store-phase\", \"value\": \"x\"}]' | "
               "storefleet.platform.store_request_from_workflow")  # fmt: skip


def test_image_values() -> None:
    values = render(
        "{'backend': 'registry:5000/shop/api:1.2', 'redis': ''} | storefleet.platform.image_values"
    )
    assert values == {"backend": {"repository": "registry:5000/shop/api", "tag": "1.2"}}
    # A newline in a reference once injected `stdin: true` into a pod spec.
    with pytest.raises(AnsibleError, match="not an image reference"):
        render("{'backend': 'a/b:c\\nstdin: true'} | storefleet.platform.image_values")


def test_platform_names_lookup() -> None:
    assert render("lookup('storefleet.platform.platform_names', 'namespace')") == (
        "storefleet-system"
    )
    names = render("lookup('storefleet.platform.platform_names')")
    assert names["store_crd"] == "stores.storefleet.io"
    assert names["provisioner_subject"] == (
        "system:serviceaccount:storefleet-system:storefleet-provisioner"
    )
