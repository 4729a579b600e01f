"""The store-provisioner image the workflow steps run: ansible-builder turns its
execution-environment.yml into a Containerfile (no container engine needed for that)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
IMAGE_DIR = REPO_ROOT / "docker" / "store-provisioner"
BIN = Path(sys.executable).parent
# Rules the Containerfile that ansible-builder generates breaks in its own stages
# (root build stages, one RUN per step, a named user); the steps this project adds obey all.
GENERATOR_RULES = ["DL3002", "DL3059", "DL3066"]


@pytest.fixture(scope="module")
def containerfile(tmp_path_factory: pytest.TempPathFactory) -> str:
    if not (BIN / "ansible-builder").exists():
        pytest.skip("ansible-builder is not installed")
    work = tmp_path_factory.mktemp("ee") / "store-provisioner"
    shutil.copytree(IMAGE_DIR, work, ignore=shutil.ignore_patterns("_collection", "context"))
    # build.sh puts the collection tarball here; its content does not matter to `create`.
    (work / "_collection").mkdir()
    (work / "_collection" / "storefleet-platform.tar.gz").write_bytes(b"")
    subprocess.run(
        [BIN / "ansible-builder", "create", "--file", "execution-environment.yml",
         "--context", "context", "--output-filename", "Containerfile"],
        cwd=work, check=True, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return str(work / "context" / "Containerfile")


def test_definition_pins_what_the_steps_need() -> None:
    definition = yaml.safe_load((IMAGE_DIR / "execution-environment.yml").read_text())
    assert definition["version"] == 3
    dependencies = definition["dependencies"]
    assert dependencies["ansible_core"]["package_pip"] == "ansible-core==2.19.14"
    assert dependencies["ansible_runner"]["package_pip"] == "ansible-runner==2.4.3"
    python = (IMAGE_DIR / dependencies["python"]).read_text()
    assert "kubernetes==36.0.3" in python.splitlines()
    galaxy = yaml.safe_load((IMAGE_DIR / dependencies["galaxy"]).read_text())
    names = {c["name"]: c for c in galaxy["collections"]}
    assert names["kubernetes.core"]["version"] == "6.2.0"
    assert names["/build/collection/storefleet-platform.tar.gz"]["type"] == "file"


def test_in_image_inventory_uses_the_pod_service_account() -> None:
    inventory = IMAGE_DIR / "inventory"
    hosts = yaml.safe_load((inventory / "hosts.yml").read_text())
    localhost = hosts["all"]["children"]["storefleet_controller"]["hosts"]["localhost"]
    assert localhost["ansible_connection"] == "local"
    cluster = yaml.safe_load((inventory / "group_vars" / "all" / "cluster.yml").read_text())
    assert cluster == {"storefleet_kubeconfig": "", "storefleet_kube_context": ""}


def test_containerfile_installs_helm_checked_and_the_inventory(containerfile: str) -> None:
    text = Path(containerfile).read_text()
    assert 'ARG ANSIBLE_INSTALL_REFS="ansible-core==2.19.14 ansible-runner==2.4.3"' in text
    assert "ARG HELM_VERSION=v3.22.0" in text
    assert "sha256sum --check --strict" in text
    assert "COPY _build/inventory /runner/inventory" in text
    assert text.rstrip().splitlines()[-3:-1] == [
        "USER 1000",
        'ENTRYPOINT ["/opt/builder/bin/entrypoint", "dumb-init"]',
    ]


def test_containerfile_passes_hadolint(containerfile: str) -> None:
    hadolint = shutil.which("hadolint") or str(BIN / "hadolint")
    if not Path(hadolint).exists():
        pytest.skip("hadolint is not installed")
    ignored = [arg for rule in GENERATOR_RULES for arg in ("--ignore", rule)]
    config = REPO_ROOT / ".hadolint.yaml"
    settings = ["--config", str(config)] if config.exists() else ["--failure-threshold", "info"]
    result = subprocess.run(
        [hadolint, *settings, *ignored, containerfile],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
