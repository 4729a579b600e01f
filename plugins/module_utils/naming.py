# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""Store names and everything derived from them: namespace, hosts, URLs, labels.

One place for these rules so the filters, the modules, the CRD schema test and the
chart values all agree on what a store is called and where it lives.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# Namespace of the Store objects (platform_names.NAMESPACE). Declared here because the
# TUI loads this file on its own, without the package around it.
PLATFORM_NAMESPACE = "storefleet-system"
NAMESPACE_PREFIX = "store-"
MANAGED_BY = "storefleet"
STORE_LABEL = "storefleet.io/store"

# A Kubernetes label value and a DNS label are both at most 63 characters.
LABEL_MAX = 63
# The longest object name derived from a store is the PostgreSQL StatefulSet
# "<name>-store-postgresql" (the chart's full name is "<release>-store"). The StatefulSet
# controller labels its pods with controller-revision-hash "<statefulset>-<hash of up to
# 10 characters>", a label value, so the StatefulSet name may have at most 63 - 11 = 52
# characters, and the store name 52 - 17 = 35. The same 35 leaves room for the Job
# "<name>-store-bootstrap-r<revision>" up to revision 9,999,999,999 and for the
# namespace "store-<name>".
STATEFULSET_SUFFIX = "-store-postgresql"
STATEFULSET_NAME_MAX = LABEL_MAX - len("-") - 10
NAME_MAX_LENGTH = STATEFULSET_NAME_MAX - len(STATEFULSET_SUFFIX)

# all, ungrouped, stores and localhost name Ansible inventory groups or its implicit host:
# a store of that name would make `--limit <store>` select other stores (or none).
RESERVED_NAMES = (
    "system",
    "argo",
    "default",
    "kube",
    "storefleet",
    "all",
    "ungrouped",
    "stores",
    "localhost",
)
RESERVED_PREFIXES = ("kube-", "storefleet-")

# The whole rule in one expression, for the CRD schema and the admission policy.
NAME_PATTERN = r"^[a-z]([-a-z0-9]*[a-z0-9])?$"

_ALLOWED = re.compile(r"[a-z0-9-]")
_SHELL_CHARACTERS = frozenset(";|&$()<>`'\"*?!{}[]~#\\")
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_RULES = (
    "lowercase letters a-z, digits and '-', starting with a letter and ending with a "
    "letter or digit, at most %d characters" % NAME_MAX_LENGTH
)


def _shown(text):
    """Quote a rejected value safely: repr escapes control and shell characters."""
    return repr(text) if len(text) <= 80 else repr(text[:77] + "...")


def _characters_error(name, shown):
    """Explain the first kind of forbidden character found, naming only that rule and
    only the characters that break it."""
    bad = []
    for char in name:
        if not _ALLOWED.match(char) and char not in bad:
            bad.append(char)
    if not bad:
        return ""

    def listed(chars):
        return ", ".join(repr(char) for char in chars)

    non_ascii = [char for char in bad if not char.isascii()]
    upper = [char for char in bad if char.isascii() and char.isupper()]
    shell = [char for char in bad if char in _SHELL_CHARACTERS]
    space = [char for char in bad if char.isspace()]
    if non_ascii:
        reason = "has non-ASCII characters (%s)" % listed(non_ascii)
    elif upper:
        reason = "has uppercase letters (%s): Kubernetes names are lowercase, use %r" % (
            listed(upper),
            name.lower(),
        )
    elif "_" in bad:
        reason = "has an underscore: '_' is not allowed in Kubernetes names, use '-'"
    elif "/" in bad:
        reason = "has a path separator '/': a name is not a path"
    elif "." in bad:
        reason = "has a dot: the name is one DNS label, '.' would split the store's host name"
    elif shell:
        reason = "has shell characters (%s), which are not allowed" % listed(shell)
    elif space:
        reason = "has whitespace (%s), which is not allowed" % listed(space)
    else:
        reason = "has characters that are not allowed (%s)" % listed(bad)
    return "store name %s %s; allowed: %s" % (shown, reason, _RULES)


def store_name_error(name):
    """Return '' when `name` is a valid store name, else a message naming the rule."""
    if not isinstance(name, str):
        return "store name must be a string, got %s" % type(name).__name__
    shown = _shown(name)
    if name == "":
        return "store name must not be empty; allowed: %s" % _RULES
    characters = _characters_error(name, shown)
    if characters:
        return characters
    if len(name) > NAME_MAX_LENGTH:
        why = (
            "the PostgreSQL StatefulSet '<name>%s' must fit in %d characters so that its "
            "pods' controller-revision-hash label stays within the %d-character limit"
            % (STATEFULSET_SUFFIX, STATEFULSET_NAME_MAX, LABEL_MAX)
        )
        return "store name %s is %d characters long; at most %d are allowed: %s" % (
            shown,
            len(name),
            NAME_MAX_LENGTH,
            why,
        )
    if name.startswith("-") or name.endswith("-"):
        return "store name %s must not start or end with '-'; allowed: %s" % (shown, _RULES)
    if not name[0].isalpha():
        return (
            "store name %s must start with a letter: Kubernetes Service names (DNS-1035 "
            "labels) cannot start with a digit" % shown
        )
    if name in RESERVED_NAMES:
        return "store name %s is reserved (reserved names: %s)" % (
            shown,
            ", ".join(RESERVED_NAMES),
        )
    for prefix in RESERVED_PREFIXES:
        if name.startswith(prefix):
            return "store name %s is reserved: names starting with %r belong to the platform" % (
                shown,
                prefix,
            )
    return ""


class StoreNameError(ValueError):
    """A store name that breaks a rule; the message names the rule."""


def require_valid_name(name):
    """Raise StoreNameError unless `name` is a valid store name."""
    error = store_name_error(name)
    if error:
        raise StoreNameError(error)
    return name


def store_namespace(name):
    """The namespace that holds everything of store `name`."""
    return NAMESPACE_PREFIX + require_valid_name(name)


def domain_error(domain):
    """Return '' when `domain` can carry store hosts, else why not."""
    if not isinstance(domain, str) or not domain:
        return "domain must be a non-empty string"
    labels = domain.split(".")
    if any(not _DNS_LABEL.match(label) or len(label) > LABEL_MAX for label in labels):
        return "domain %s must be dot-separated lowercase DNS labels" % _shown(domain)
    return ""


def store_host(name, domain):
    """The store's host '<name>.<domain>': one label below the domain, so the domain's
    wildcard certificate covers it. Storefront, API and admin share it, by path."""
    require_valid_name(name)
    error = domain_error(domain)
    if error:
        raise StoreNameError(error)
    host = "%s.%s" % (name, domain)
    if len(host) > 253:
        raise StoreNameError("host %s is longer than 253 characters" % _shown(host))
    return host


def store_urls(name, domain, tls=False):
    """Public URLs of a store: the storefront, the Medusa API and the admin at /app."""
    origin = "%s://%s" % ("https" if tls else "http", store_host(name, domain))
    return {"storefront": origin, "api": origin, "admin": origin + "/app"}


def store_namespace_labels(name):
    """Labels of a store namespace: ownership, the store, and Pod Security restricted."""
    require_valid_name(name)
    return {
        "app.kubernetes.io/managed-by": MANAGED_BY,
        STORE_LABEL: name,
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
    }


def store_from_namespace(namespace):
    """The store name of a store namespace, or None for any other namespace."""
    if not isinstance(namespace, str) or not namespace.startswith(NAMESPACE_PREFIX):
        return None
    name = namespace[len(NAMESPACE_PREFIX) :]
    return name if not store_name_error(name) else None
