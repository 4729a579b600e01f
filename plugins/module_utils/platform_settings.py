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

from collections import namedtuple

from .image_reference import registry_error, tag_error
from .naming import domain_error
from .quota import WORKER_MODES
from .store_request import boolean, boolean_error, dns_subdomain_error

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
)
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
    raise ValueError("unknown rule %r" % setting.rule)


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
        environment[setting.environment] = "" if value is None else str(value)
    return environment
