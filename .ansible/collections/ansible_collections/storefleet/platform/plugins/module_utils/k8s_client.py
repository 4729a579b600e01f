# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""A Kubernetes API client from kubernetes.core-style connection options."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import traceback

from .platform_names import STORE_CRD, STORE_GROUP, STORE_PLURAL, STORE_VERSION  # noqa: F401

try:
    from kubernetes import client as k8s
    from kubernetes import config as k8s_config
    from kubernetes.client.exceptions import ApiException
    from kubernetes.config.config_exception import ConfigException

    IMPORT_ERROR = None
except ImportError:  # reported by require_client() with the module's own fail_json
    k8s = k8s_config = None
    ApiException = ConfigException = Exception
    IMPORT_ERROR = traceback.format_exc()

AUTH_ARG_SPEC = {
    "kubeconfig": {"type": "path"},
    "context": {"type": "str"},
    "host": {"type": "str"},
    "api_key": {"type": "str", "no_log": True},
    "validate_certs": {"type": "bool", "aliases": ["verify_ssl"]},
    "ca_cert": {"type": "path", "aliases": ["ssl_ca_cert"]},
}
# The doc fragment states these defaults; plain env lookups keep the spec simple.
_ENV = {
    "kubeconfig": "K8S_AUTH_KUBECONFIG",
    "context": "K8S_AUTH_CONTEXT",
    "host": "K8S_AUTH_HOST",
    "api_key": "K8S_AUTH_API_KEY",
    "validate_certs": "K8S_AUTH_VERIFY_SSL",
    "ca_cert": "K8S_AUTH_SSL_CA_CERT",
}


def auth_arg_spec():
    """A fresh copy of the connection options, to extend with a module's own."""
    return {key: dict(value) for key, value in AUTH_ARG_SPEC.items()}


def _option(params, key):
    value = params.get(key)
    if value is None and os.environ.get(_ENV[key]):
        value = os.environ[_ENV[key]]
        if key == "validate_certs":
            value = value.lower() not in ("0", "false", "no", "off")
    return value


def api_client(module):
    """An ApiClient for the module's options; fails the module with a clear message."""
    if IMPORT_ERROR:
        module.fail_json(
            msg="the kubernetes Python client is required: pip install kubernetes",
            exception=IMPORT_ERROR,
        )
    params = module.params
    host = _option(params, "host")
    try:
        if host:
            configuration = k8s.Configuration()
            configuration.host = host
            api_key = _option(params, "api_key")
            if api_key:
                configuration.api_key = {"authorization": "Bearer " + api_key}
            ca_cert = _option(params, "ca_cert")
            if ca_cert:
                configuration.ssl_ca_cert = ca_cert
        else:
            kubeconfig = _option(params, "kubeconfig") or os.environ.get("KUBECONFIG")
            default = os.path.expanduser("~/.kube/config")
            if not kubeconfig and not os.path.exists(default):
                # An Argo step or AWX job running in a pod: its service account.
                k8s_config.load_incluster_config()
                configuration = k8s.Configuration.get_default_copy()
            else:
                configuration = k8s.Configuration()
                k8s_config.load_kube_config(
                    config_file=kubeconfig or default,
                    context=_option(params, "context"),
                    client_configuration=configuration,
                )
        validate_certs = _option(params, "validate_certs")
        if validate_certs is not None:
            configuration.verify_ssl = validate_certs
    except (ConfigException, OSError) as error:
        module.fail_json(msg="cannot configure the Kubernetes client: %s" % error)
    return k8s.ApiClient(configuration)


def api_error(error):
    """Short text of an ApiException: the API server's message, not the whole body."""
    try:
        message = json.loads(error.body).get("message")
    except (TypeError, ValueError, AttributeError):
        message = None
    return "%s %s" % (error.status, message or error.reason)
