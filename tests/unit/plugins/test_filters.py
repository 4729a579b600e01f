"""The filters as Ansible loads them: real templating, names resolved by the collection loader."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleError
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template
from ansible_collections.storefleet.platform.plugins.filter import store as store_filters


def render(expression: str, **variables: object) -> object:
    templar = Templar(loader=DataLoader(), variables=variables)
    return templar.template(trust_as_template("{{ " + expression + " }}"))


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
