"""Every store name rule, one case or more each, and what derives from a name."""

from __future__ import annotations

import re

import pytest
from ansible_collections.storefleet.platform.plugins.module_utils import naming

VALID = ["a", "demo", "shop-1", "my-store-2024", "a" * naming.NAME_MAX_LENGTH, "x9"]

# name -> a phrase the message must contain, naming the rule that was broken
HOSTILE = {
    "": "must not be empty",
    "Demo": "uppercase",
    "DEMO": "use 'demo'",
    "a" * 36: "at most 35 are allowed",
    "a" * 64: "64 characters long",
    "-demo": "must not start or end with '-'",
    "demo-": "must not start or end with '-'",
    "my_store": "underscore",
    "my.store": "has a dot",
    "my store": "whitespace",
    "tab\tname": "whitespace",
    "line\nbreak": "whitespace",
    "café": "non-ASCII",
    "\u0455hop": "non-ASCII",  # Cyrillic dze, looks like a Latin s
    "$(id)": "shell characters ('$', '(', ')')",
    "`id`": "not allowed",
    "a;rm": "shell characters (';')",
    "../x": "path separator",
    "x/y": "path separator",
    "1shop": "must start with a letter",
    "system": "reserved",
    "argo": "reserved",
    "default": "reserved",
    "kube": "reserved",
    "storefleet": "reserved",
    "all": "reserved",
    "ungrouped": "reserved",
    "stores": "reserved",
    "localhost": "reserved",
    "kube-system": "starting with 'kube-'",
    "kube-public": "starting with 'kube-'",
    "storefleet-system": "starting with 'storefleet-'",
}


@pytest.mark.parametrize("name", VALID)
def test_valid_names_pass(name: str) -> None:
    assert naming.store_name_error(name) == ""


@pytest.mark.parametrize(("name", "rule"), HOSTILE.items(), ids=[repr(k)[:20] for k in HOSTILE])
def test_hostile_names_are_refused_naming_the_rule(name: str, rule: str) -> None:
    message = naming.store_name_error(name)
    assert rule in message
    assert message.startswith("store name")


@pytest.mark.parametrize("value", [None, 42, ["demo"], {"name": "demo"}])
def test_non_strings_are_refused(value: object) -> None:
    assert "must be a string" in naming.store_name_error(value)


def test_maximum_length_is_what_the_longest_derived_name_allows() -> None:
    longest = "a" * naming.NAME_MAX_LENGTH
    statefulset = longest + naming.STATEFULSET_SUFFIX
    # The StatefulSet controller adds "-<hash of up to 10 characters>" in a label value.
    assert len(statefulset + "-" + "x" * 10) == 63
    assert len(longest + "-store-bootstrap-r" + "9" * 10) <= 63
    assert len(naming.store_namespace(longest)) <= 63


def test_message_quotes_hostile_input_without_interpreting_it() -> None:
    message = naming.store_name_error("a\x1b[31mred")
    assert "\x1b" not in message
    assert "\\x1b" in message


def test_long_input_is_shortened_in_the_message() -> None:
    assert len(naming.store_name_error("a" * 10_000)) < 400


def test_pattern_agrees_with_the_checks() -> None:
    pattern = re.compile(naming.NAME_PATTERN)
    for name in VALID:
        assert pattern.match(name)
    for name in ["", "Demo", "-a", "a-", "a_b", "a.b", "1a", "../x", "$(id)"]:
        assert not pattern.match(name)


def test_namespace_hosts_urls_and_labels() -> None:
    assert naming.store_namespace("demo") == "store-demo"
    assert naming.store_host("demo", "local.127.0.0.1.nip.io") == "demo.local.127.0.0.1.nip.io"
    # One origin per store, one label below the domain: the wildcard certificate covers it.
    assert naming.store_urls("demo", "example.com", tls=True) == {
        "storefront": "https://demo.example.com",
        "api": "https://demo.example.com",
        "admin": "https://demo.example.com/app",
    }
    assert naming.store_urls("demo", "example.com")["storefront"] == "http://demo.example.com"
    labels = naming.store_namespace_labels("demo")
    assert labels["app.kubernetes.io/managed-by"] == "storefleet"
    assert labels["storefleet.io/store"] == "demo"
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"


@pytest.mark.parametrize("domain", ["", "Example.com", "exa_mple.com", "a..b", ".com", None])
def test_bad_domains_are_refused(domain: object) -> None:
    with pytest.raises(naming.StoreNameError, match="domain"):
        naming.store_host("demo", domain)


def test_derived_names_refuse_invalid_store_names() -> None:
    for derive in (naming.store_namespace, naming.store_namespace_labels):
        with pytest.raises(naming.StoreNameError, match="reserved"):
            derive("kube-system")


def test_store_from_namespace() -> None:
    assert naming.store_from_namespace("store-demo") == "demo"
    assert naming.store_from_namespace("kube-system") is None
    assert naming.store_from_namespace("store-Bad_") is None


@pytest.mark.parametrize(
    ("name", "named", "not_named"),
    [
        # 'C' is ASCII: uppercase is its own rule, so only 'é' is named here.
        ("Café", ["non-ASCII characters ('é')"], ["'C'", "uppercase"]),
        ("Demo_x", ["uppercase letters ('D')"], ["'_'"]),
        ("a b;c", ["shell characters (';')"], ["' '"]),
    ],
)
def test_a_refusal_names_only_what_breaks_that_rule(
    name: str, named: list[str], not_named: list[str]
) -> None:
    message = naming.store_name_error(name)
    for phrase in named:
        assert phrase in message
    for phrase in not_named:
        assert phrase not in message.split(";")[0]
