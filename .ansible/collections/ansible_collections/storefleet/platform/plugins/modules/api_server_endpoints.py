#!/usr/bin/python
# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""The addresses and ports at which the API server itself is reached."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: api_server_endpoints
short_description: The addresses and ports of the API server itself
version_added: 0.1.0
author: Storefleet maintainers
description:
  - Reads the C(kubernetes) EndpointSlice in C(default), which holds the API server's own
    addresses and ports. NetworkPolicies see those (traffic to the C(kubernetes) Service is
    translated to them before a policy applies). Only ready endpoints count.
  - An API server that advertises a loopback address (a test cluster on one machine) has
    no such EndpointSlice; then the address and port this module connects to are
    returned, and RV(source) says so.
  - Read-only; never reports a change.
extends_documentation_fragment:
  - storefleet.platform.k8s_auth
attributes:
  check_mode:
    support: full
    description: Reads only.
"""

EXAMPLES = r"""
- name: Read the API server's addresses
  storefleet.platform.api_server_endpoints:
  register: api_server

- name: Show the egress rules that reach it
  ansible.builtin.debug:
    msg: "{{ api_server | storefleet.platform.api_server_egress }}"
"""

RETURN = r"""
addresses:
  description: IP addresses of the API server.
  returned: success
  type: list
  elements: str
ports:
  description: Ports of the API server, with their protocol.
  returned: success
  type: list
  elements: dict
  sample: [{port: 6443, protocol: TCP}]
source:
  description: C(endpointslice), or C(client) when the address this module connected to was used.
  returned: success
  type: str
"""

import ipaddress
import json
import socket

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.six.moves.urllib.parse import urlparse
from ansible_collections.storefleet.platform.plugins.module_utils.argo_templates import (
    endpoints_from_slices,
)
from ansible_collections.storefleet.platform.plugins.module_utils.k8s_client import (
    ApiException,
    api_client,
    api_error,
    auth_arg_spec,
    k8s,
)


def from_client(module, client):
    """The API server as this client reaches it: its host (resolved) and port."""
    url = urlparse(client.configuration.host)
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        address = str(ipaddress.ip_address(url.hostname))
    except ValueError:
        try:
            address = socket.gethostbyname(url.hostname)
        except OSError as error:
            module.fail_json(msg="cannot resolve the API server %s: %s" % (url.hostname, error))
    return {"addresses": [address], "ports": [{"port": port, "protocol": "TCP"}]}


def main():
    module = AnsibleModule(argument_spec=auth_arg_spec(), supports_check_mode=True)
    client = api_client(module)
    api = k8s.DiscoveryV1Api(client)
    try:
        response = api.read_namespaced_endpoint_slice(
            "kubernetes", "default", _preload_content=False
        )
        endpoints = endpoints_from_slices([json.loads(response.data)])
    except ApiException as error:
        if error.status != 404:
            module.fail_json(
                msg="cannot read EndpointSlice default/kubernetes: %s" % api_error(error)
            )
        endpoints = {"addresses": [], "ports": []}
    source = "endpointslice"
    if not endpoints["addresses"] or not endpoints["ports"]:
        endpoints = from_client(module, client)
        source = "client"
    module.exit_json(changed=False, source=source, **endpoints)


if __name__ == "__main__":
    main()
