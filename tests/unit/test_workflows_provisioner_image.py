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
    shutil.copytree(
        IMAGE_DIR, work, ignore=shutil.ignore_patterns("_collection", "_helm", "context")
    )
    # build.sh puts the collection tarballs and helm here; their content does not matter
    # to `create`.
    (work / "_collection").mkdir()
    for tarball in ("storefleet-platform.tar.gz", "kubernetes-core.tar.gz"):
        (work / "_collection" / tarball).write_bytes(b"")
    (work / "_helm").mkdir()
    (work / "_helm" / "helm").write_bytes(b"")
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
    # Both collections come from tarballs build.sh makes (kubernetes.core as the pinned
    # `ansible` package ships it); nothing is looked up on Galaxy.
    assert {c["name"]: c["type"] for c in galaxy["collections"]} == {
        "/build/collection/kubernetes-core.tar.gz": "file",
        "/build/collection/storefleet-platform.tar.gz": "file",
    }
    assert definition["build_arg_defaults"]["ANSIBLE_GALAXY_CLI_COLLECTION_OPTS"] == "--no-deps"
    base = definition["images"]["base_image"]["name"]
    assert (
        base.startswith("docker.io/library/debian:bookworm-slim@sha256:")
        and len(base.split(":")[-1]) == 64
    )


def test_in_image_inventory_uses_the_pod_service_account() -> None:
    inventory = IMAGE_DIR / "inventory"
    hosts = yaml.safe_load((inventory / "hosts.yml").read_text())
    localhost = hosts["all"]["children"]["storefleet_controller"]["hosts"]["localhost"]
    assert localhost["ansible_connection"] == "local"
    cluster = yaml.safe_load((inventory / "group_vars" / "all" / "cluster.yml").read_text())
    assert cluster == {"storefleet_kubeconfig": "", "storefleet_kube_context": ""}


def test_containerfile_installs_helm_and_the_inventory(containerfile: str) -> None:
    text = Path(containerfile).read_text()
    assert 'ARG ANSIBLE_INSTALL_REFS="ansible-core==2.19.14 ansible-runner==2.4.3"' in text
    assert "COPY _build/helm/helm /usr/local/bin/helm" in text
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


def test_build_checks_helm_against_the_pinned_checksum() -> None:
    script = (IMAGE_DIR / "build.sh").read_text()
    # The release is checked against the sha256 pinned beside the user tools' pins.
    assert "tools/user-tools.sha256" in script
    assert "sha256sum --check --strict" in script
    pins = (REPO_ROOT / "tools" / "user-tools.sha256").read_text()
    pinned = "1e4ab49e429626cf6c6958d914248b78c9730803c2751b87627e171dc800e7bb"
    assert f"helm    v3.22.0 linux-amd64  {pinned}" in pins


def test_build_refuses_a_helm_binary_of_another_version(tmp_path: Path) -> None:
    fake = tmp_path / "helm"
    fake.write_text("#!/bin/sh\necho v3.21.0+gabcdef\n")
    fake.chmod(0o755)
    environment = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        ["bash", str(IMAGE_DIR / "build.sh"), "test/store-provisioner:1", "create"],
        env={**environment, "STOREFLEET_HELM_BINARY": str(fake)},
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert result.returncode != 0
    assert "is not helm v3.22.0" in result.stderr
