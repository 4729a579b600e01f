# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""The platform settings every store of one cluster shares, declared once.

They come from the inventory (storefleet_* variables), never from a store request or a
workflow parameter: the argo role writes them into the ConfigMap
storefleet-platform-settings, every workflow step reads that ConfigMap as its
environment, and the store-provisioner image's inventory maps the environment back to
the same storefleet_* variables. settings_errors() checks each value against its rule.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
from collections import namedtuple

from .image_reference import image_error, registry_error, tag_error
from .naming import domain_error
from .quota import WORKER_MODES
from .store_request import boolean, boolean_error, dns_subdomain_error, label_errors

Setting = namedtuple("Setting", "variable inventory environment rule description")

SETTINGS = (
    Setting(
        "store_domain",
        "storefleet_domain",
        "STOREFLEET_DOMAIN",
        "domain",
        "Parent domain of the store hosts (<store>.<domain>).",
    ),
    Setting(
        "store_image_registry",
        "storefleet_image_registry",
        "STOREFLEET_IMAGE_REGISTRY",
        "registry",
        "Registry the cluster pulls the store images from: host[:port][/path].",
    ),
    Setting(
        "store_default_image_tag",
        "storefleet_image_tag",
        "STOREFLEET_IMAGE_TAG",
        "tag",
        "Image tag of a new store when the request names none.",
    ),
    Setting(
        "store_tls_enabled",
        "storefleet_tls_enabled",
        "STOREFLEET_TLS_ENABLED",
        "boolean",
        "Serve the stores over HTTPS with cert-manager certificates.",
    ),
    Setting(
        "store_cert_manager_issuer",
        "storefleet_cert_manager_issuer",
        "STOREFLEET_CERT_MANAGER_ISSUER",
        "object-name",
        "cert-manager ClusterIssuer of the store certificates; empty without TLS.",
    ),
    Setting(
        "store_cookie_secure",
        "storefleet_cookie_secure",
        "STOREFLEET_COOKIE_SECURE",
        "boolean",
        "Secure session cookies (on only with TLS: they break the admin login over HTTP).",
    ),
    Setting(
        "store_worker_mode",
        "storefleet_worker_mode",
        "STOREFLEET_WORKER_MODE",
        "worker-mode",
        "shared: the backend also runs background jobs; split: a worker Deployment.",
    ),
    Setting(
        "store_cluster_simulated",
        "storefleet_cluster_simulated",
        "STOREFLEET_CLUSTER_SIMULATED",
        "boolean",
        "The cluster runs no containers (the sandbox): nothing waits on their output.",
    ),
    Setting(
        "store_storage_class",
        "storefleet_storage_class",
        "STOREFLEET_STORAGE_CLASS",
        "object-name",
        "StorageClass of the database volumes; empty uses the cluster's default.",
    ),
    Setting(
        "store_edge_routes",
        "storefleet_edge_routes",
        "STOREFLEET_EDGE_ROUTES",
        "edge-routes",
        "gateway: HTTPRoutes on the platform Gateway; ingress: an Ingress per store.",
    ),
    Setting(
        "store_pod_node_selector",
        "storefleet_store_node_selector",
        "STOREFLEET_STORE_NODE_SELECTOR",
        "node-selector",
        "Node labels every store pod selects (JSON in the environment).",
    ),
    Setting(
        "store_pod_tolerations",
        "storefleet_store_tolerations",
        "STOREFLEET_STORE_TOLERATIONS",
        "tolerations",
        "Tolerations of every store pod (JSON in the environment).",
    ),
    Setting(
        "store_postgresql_image",
        "storefleet_postgresql_image",
        "STOREFLEET_POSTGRESQL_IMAGE",
        "image-or-empty",
        "PostgreSQL image of the stores; empty keeps the chart's pinned image.",
    ),
    Setting(
        "store_redis_image",
        "storefleet_redis_image",
        "STOREFLEET_REDIS_IMAGE",
        "image-or-empty",
        "Redis image of the stores; empty keeps the chart's pinned image.",
    ),
    Setting(
        "store_kubectl_image",
        "storefleet_kubectl_image",
        "STOREFLEET_KUBECTL_IMAGE",
        "image-or-empty",
        "kubectl image of the stores' admin Jobs; empty keeps the chart's pinned image.",
    ),
)
EDGE_ROUTES = ("gateway", "ingress")
TOLERATION_FIELDS = frozenset(("key", "operator", "value", "effect", "tolerationSeconds"))
# Settings that are not strings travel as JSON in the steps' environment.
JSON_RULES = ("node-selector", "tolerations")
BY_VARIABLE = dict((setting.variable, setting) for setting in SETTINGS)


def setting_errors(setting, value):
    """Messages for one setting's value; [] when it follows its rule."""
    what = "%s (inventory %s)" % (setting.variable, setting.inventory)
    if setting.rule == "domain":
        error = domain_error(value)
        return ["%s: %s" % (what, error)] if error else []
    if setting.rule == "registry":
        error = registry_error(value)
        return ["%s: %s" % (what, error)] if error else []
    if setting.rule == "tag":
        error = tag_error(value, what)
        return [error] if error else []
    if setting.rule == "boolean":
        error = boolean_error(value, what)
        return [error] if error else []
    if setting.rule == "object-name":
        # Empty: not used (no TLS) or the cluster default (storage class).
        error = "" if value == "" else dns_subdomain_error(value, what)
        return [error] if error else []
    if setting.rule == "worker-mode":
        if value not in WORKER_MODES:
            return ["%s: %r is not one of %s" % (what, value, ", ".join(WORKER_MODES))]
        return []
    if setting.rule == "edge-routes":
        if value not in EDGE_ROUTES:
            return ["%s: %r is not one of %s" % (what, value, ", ".join(EDGE_ROUTES))]
        return []
    if setting.rule == "node-selector":
        return label_errors(value, what, reserved=False)
    if setting.rule == "tolerations":
        return tolerations_errors(value, what)
    if setting.rule == "image-or-empty":
        error = "" if value == "" else image_error(value, what)
        return [error] if error else []
    raise ValueError("unknown rule %r" % setting.rule)


def tolerations_errors(value, what):
    """Messages for a list of Kubernetes tolerations; [] when every entry is one."""
    if not isinstance(value, list):
        return ["%s must be a list of tolerations" % what]
    errors = []
    for index, toleration in enumerate(value):
        if not isinstance(toleration, dict) or not set(toleration) <= TOLERATION_FIELDS:
            errors.append(
                "%s: entry %d must be a toleration (%s)"
                % (what, index, ", ".join(sorted(TOLERATION_FIELDS)))
            )
            continue
        errors.extend(
            label_errors(
                {toleration["key"]: str(toleration.get("value", ""))}, what, reserved=False
            )
            if toleration.get("key")
            else []
        )
        if toleration.get("operator", "Equal") not in ("Equal", "Exists"):
            errors.append("%s: entry %d has an operator other than Equal or Exists" % (what, index))
        if toleration.get("effect", "") not in ("", "NoSchedule", "PreferNoSchedule", "NoExecute"):
            errors.append("%s: entry %d has an unknown effect" % (what, index))
    return errors


def settings_errors(settings):
    """One message per broken rule of the settings ({role variable: value}); [] if valid."""
    if not isinstance(settings, dict):
        return ["the platform settings must be a mapping"]
    errors = []
    for setting in SETTINGS:
        if setting.variable not in settings:
            errors.append("%s (inventory %s) is not set" % (setting.variable, setting.inventory))
            continue
        errors.extend(setting_errors(setting, settings[setting.variable]))
    return errors


def settings_environment(settings):
    """{environment variable: string} for the ConfigMap the workflow steps read."""
    environment = {}
    for setting in SETTINGS:
        value = settings[setting.variable]
        if setting.rule == "boolean":
            value = "true" if boolean(value) else "false"
        elif setting.rule in JSON_RULES:
            value = json.dumps(value, sort_keys=True)
        environment[setting.environment] = "" if value is None else str(value)
    return environment
