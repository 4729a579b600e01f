#!/usr/bin/env python3
"""Stores served for real, measured in one run on a sandbox with a real node.

- sandbox up with a real node (its image cache warm, as on a second start);
- the images playbook when every image is in the registry (the cached build);
- store_create to Ready on the real node twice: cold (the store's images removed from
  the node first, so it pulls them from the registry) and warm (the images already on
  the node), each followed by store_delete;
- the size of each image the project built (compressed layers, as the registry holds
  them).

Needs root (the real node). Goal from the product: warm create to Ready at most 45 s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from storefleet_sandbox import Sandbox, SandboxClient  # noqa: E402
from storefleet_sandbox.client import tool  # noqa: E402
from storefleet_sandbox.host import RUN_DIR  # noqa: E402
from tests.integration.ansible_run import environment_for_cli  # noqa: E402

WARM_GOAL_SECONDS = 45.0
STORE_IMAGES = ("medusa-backend", "medusa-storefront")


def timed_playbook(name: str, env: dict[str, str], **extravars: str) -> float:
    argv = ["ansible-playbook", "-i", "inventories/sandbox", f"storefleet.platform.{name}"]
    if extravars:
        argv += ["-e", json.dumps(extravars)]
    started = time.monotonic()
    result = subprocess.run(argv, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"{name} failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}")
    return elapsed


def release(sandbox: SandboxClient) -> dict[str, str]:
    configmap = sandbox.kubectl(
        "-n", "storefleet-system", "get", "configmap", "storefleet-images", "-o", "json"
    )
    return dict(json.loads(configmap)["data"])


def crictl(*args: str) -> str:
    socket = next(iter(sorted(RUN_DIR.glob("sandbox-real-*/containerd.sock"))))
    done = subprocess.run(
        [tool("crictl"), f"--runtime-endpoint=unix://{socket}", *args],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    return done.stdout


def remove_from_node(references: list[str]) -> None:
    for reference in references:
        crictl("rmi", reference)


def compressed_size(reference: str) -> int:
    """Bytes of an image's compressed layers in the registry (what a node pulls)."""
    done = subprocess.run(
        ["skopeo", "inspect", "--raw", "--tls-verify=false", f"docker://{reference}"],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    manifest = json.loads(done.stdout)
    return sum(int(layer["size"]) for layer in manifest.get("layers", []))


def main() -> int:
    if os.geteuid() != 0:
        sys.exit("real_store bench: a real node needs root")
    with tempfile.TemporaryDirectory(prefix="real-store-bench-") as tmp:
        sandbox = Sandbox(Path(tmp), real_nodes=1)
        started = time.monotonic()
        sandbox.start()
        sandbox_up = time.monotonic() - started
        try:
            env = environment_for_cli(sandbox)
            timed_playbook("platform", env)
            images_cached = timed_playbook("images", env)
            images = release(sandbox)
            store_refs = [images[name] for name in STORE_IMAGES]
            remove_from_node(store_refs)
            cold = timed_playbook("store_create", env, store_name="bench-cold")
            timed_playbook("store_delete", env, store_name="bench-cold")
            warm = timed_playbook("store_create", env, store_name="bench-warm")
            timed_playbook("store_delete", env, store_name="bench-warm")
            sizes = {name: compressed_size(reference) for name, reference in images.items()}
        finally:
            sandbox.stop()

    print("stores served for real (seconds)")
    print(f"{'sandbox up with a real node':<44}{sandbox_up:>8.1f}")
    print(f"{'images playbook, every image cached':<44}{images_cached:>8.1f}")
    print(f"{'store_create to Ready, cold node (pulls)':<44}{cold:>8.1f}")
    print(f"{'store_create to Ready, warm node':<44}{warm:>8.1f}")
    print(f"{'warm / cold':<44}{warm / cold:>7.2f}x")
    goal = f"warm / goal ({WARM_GOAL_SECONDS:.0f} s)"
    print(f"{goal:<44}{warm / WARM_GOAL_SECONDS:>7.2f}x")
    print("image sizes, compressed in the registry (MB)")
    for name, size in sorted(sizes.items()):
        print(f"{name:<44}{size / 1e6:>8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
