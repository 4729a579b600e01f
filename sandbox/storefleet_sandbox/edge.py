"""The platform's edge on the sandbox: Traefik, the controller k3s ships, as a host process.

It serves the Gateway API routes of the cluster (the platform Gateway's listeners name
its entry point's port) on loopback, where `*.127.0.0.1.nip.io` names point, and
reaches the store pods directly through the node's bridge.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from .client import tool

EDGE_HOST = "127.0.0.1"
# The web entry point; the platform Gateway's HTTP listener uses the same port.
EDGE_HTTP_PORT = int(os.environ.get("STOREFLEET_SANDBOX_EDGE_PORT", "80"))


def traefik_argv(directory: Path, ping_port: int) -> list[str]:
    config = {
        "entryPoints": {
            "web": {"address": f"{EDGE_HOST}:{EDGE_HTTP_PORT}"},
            "traefik": {"address": f"127.0.0.1:{ping_port}"},
        },
        "providers": {"kubernetesGateway": {"statusAddress": {"ip": EDGE_HOST}}},
        "ping": {"entryPoint": "traefik"},
        "log": {"level": "WARN"},
        "accessLog": {"filePath": str(directory / "logs" / "edge-access.log")},
        "global": {"checkNewVersion": False, "sendAnonymousUsage": False},
    }
    path = directory / "traefik.yaml"
    path.write_text(yaml.safe_dump(config))
    return [tool("traefik"), f"--configFile={path}"]
