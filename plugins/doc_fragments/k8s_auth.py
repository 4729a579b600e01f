# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""Connection options shared by the storefleet.platform modules."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment:
    # Same names and environment variables as kubernetes.core, so one module_defaults
    # entry (group/storefleet.platform.storefleet, which holds the collection's names of
    # kubernetes.core's modules too) sets the connection of both.
    DOCUMENTATION = r"""
options:
  kubeconfig:
    description:
      - Path to a kubeconfig file. Defaults to E(K8S_AUTH_KUBECONFIG), then
        E(KUBECONFIG), then C(~/.kube/config); inside a pod without any of them, the
        pod's service account is used.
    type: path
  context:
    description:
      - Context of the kubeconfig to use. Defaults to E(K8S_AUTH_CONTEXT), then the
        kubeconfig's current context.
    type: str
  host:
    description:
      - URL of the API server, with O(api_key). Defaults to E(K8S_AUTH_HOST).
    type: str
  api_key:
    description:
      - Bearer token for O(host). Defaults to E(K8S_AUTH_API_KEY).
    type: str
  validate_certs:
    description:
      - Verify the API server's certificate. Defaults to E(K8S_AUTH_VERIFY_SSL), then true.
    type: bool
    aliases: [verify_ssl]
  ca_cert:
    description:
      - CA certificate of the API server, with O(host). Defaults to E(K8S_AUTH_SSL_CA_CERT).
    type: path
    aliases: [ssl_ca_cert]
requirements:
  - kubernetes (Python client) >= 30.0.0
"""
