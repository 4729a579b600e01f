"""Service routing and network policy for the real nodes: kube-proxy and kube-router.

kube-proxy (iptables mode) makes Service addresses work for pods and the host;
kube-router in firewall-only mode enforces NetworkPolicy, as the network policy
controller k3s embeds does. One of each serves the real nodes of this host.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from . import firewall
from .client import tool
from .node import POD_NETWORK, NodeLayout

KUBE_ROUTER_RBAC = """
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: storefleet-sandbox:kube-router
rules:
  - apiGroups: [""]
    resources: [namespaces, pods, services, nodes, endpoints]
    verbs: [get, list, watch]
  - apiGroups: [networking.k8s.io]
    resources: [networkpolicies]
    verbs: [get, list, watch]
  - apiGroups: [discovery.k8s.io]
    resources: [endpointslices]
    verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: storefleet-sandbox:kube-router
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: storefleet-sandbox:kube-router
subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: User
    name: storefleet-sandbox:kube-router
"""


def kube_proxy_argv(files: Path, kubeconfig: Path, node: NodeLayout) -> list[str]:
    config = {
        "apiVersion": "kubeproxy.config.k8s.io/v1alpha1",
        "kind": "KubeProxyConfiguration",
        "mode": "iptables",
        "clientConnection": {"kubeconfig": str(kubeconfig)},
        "hostnameOverride": node.name,
        "clusterCIDR": POD_NETWORK,
        "bindAddress": "127.0.0.1",
        "healthzBindAddress": "127.0.0.1:10256",
        "metricsBindAddress": "127.0.0.1:10249",
        # Leave the host's sysctls alone: no conntrack sizing, no localhost node ports.
        "conntrack": {
            "maxPerCore": 0,
            "min": 0,
            "tcpEstablishedTimeout": "0s",
            "tcpCloseWaitTimeout": "0s",
        },
        "iptables": {"localhostNodePorts": False},
    }
    path = files / "kube-proxy.yaml"
    path.write_text(yaml.safe_dump(config))
    return [tool("kube-proxy"), f"--config={path}"]


def kube_router_argv(kubeconfig: Path, node: NodeLayout) -> list[str]:
    return [
        tool("kube-router"),
        f"--kubeconfig={kubeconfig}",
        f"--hostname-override={node.name}",
        "--run-firewall=true",
        "--run-router=false",
        "--run-service-proxy=false",
        "--enable-ipv6=false",
        "--health-port=20244",
        "--metrics-port=0",
        "--iptables-sync-period=1m",
        "--v=0",
    ]


def clear_firewall() -> None:
    """Remove kube-proxy's, kube-router's and the kubelet's chains and ipsets."""
    subprocess.run([tool("kube-proxy"), "--cleanup"], capture_output=True, check=False)
    firewall.remove_all()
