"""Talk to a sandbox cluster, whether this process started it or `make sandbox` did."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

from .processes import ProcessFailed

# Where real nodes keep their runtime state (see host.py).
RUN_DIR = Path("/run/storefleet-sandbox")

REPO_ROOT = Path(__file__).resolve().parents[2]
ARGO_NAMESPACE = "argo"
ARGO_PID_FILE = "workflow-controller.pid"
ADDON_IMAGES_FILE = "addon-images.json"


def tools_bin() -> Path:
    return Path(os.environ.get("STOREFLEET_TOOLS_BIN", REPO_ROOT / ".tools" / "bin"))


def tool(name: str) -> str:
    """Absolute path of a sandbox binary; a clear error when `make tools` has not run."""
    path = tools_bin() / name
    if not os.access(path, os.X_OK):
        raise FileNotFoundError(f"{name} not found in {tools_bin()}: run `make tools` first")
    return str(path)


class SandboxClient:
    """The kubeconfig of a sandbox in `directory`, and kubectl against it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory.resolve()
        self.kubeconfig = self.directory / "kubeconfig"

    # -- kubectl -----------------------------------------------------------------------

    def kubectl(self, *args: str, input_text: str | None = None, check: bool = True) -> str:
        result = subprocess.run(
            [tool("kubectl"), f"--kubeconfig={self.kubeconfig}", *args],
            input=input_text,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if check and result.returncode != 0:
            raise subprocess.CalledProcessError(
                result.returncode, ["kubectl", *args], result.stdout, result.stderr
            )
        return result.stdout

    def env(self) -> dict[str, str]:
        """Environment in which kubectl, helm and Ansible talk to this sandbox."""
        return {
            **os.environ,
            "KUBECONFIG": str(self.kubeconfig),
            "K8S_AUTH_KUBECONFIG": str(self.kubeconfig),
            "PATH": f"{tools_bin()}{os.pathsep}{os.environ.get('PATH', '')}",
        }

    def addon_image(self, name: str) -> str:
        """Reference of one of the real nodes' own images (pause, busybox, coredns, argoexec)."""
        try:
            return str(json.loads((self.directory / ADDON_IMAGES_FILE).read_text())[name])
        except FileNotFoundError:
            raise FileNotFoundError(f"sandbox {self.directory} runs no real node") from None

    def real_node_containers(self) -> list[dict[str, Any]]:
        """Every container the real nodes' runtimes hold, as crictl lists them."""
        containers: list[dict[str, Any]] = []
        for socket in sorted(RUN_DIR.glob("sandbox-real-*/containerd.sock")):
            crictl = [tool("crictl"), f"--runtime-endpoint=unix://{socket}"]
            listed = subprocess.run(
                [*crictl, "ps", "--all", "-o", "json"],
                capture_output=True, text=True, check=True, timeout=60,
            )  # fmt: skip
            containers.extend(json.loads(listed.stdout).get("containers", []))
        return containers

    def wait_for_argo_controller(self, timeout: float = 60) -> int:
        """Pid of the workflow-controller the sandbox runs once Argo is installed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                pid = int((self.directory / ARGO_PID_FILE).read_text())
                os.kill(pid, 0)
                return pid
            except (FileNotFoundError, ValueError, ProcessLookupError):
                time.sleep(0.2)
        raise ProcessFailed("workflow-controller did not start: are Argo's CRDs installed?")
