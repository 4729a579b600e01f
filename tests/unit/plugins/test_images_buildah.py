"""The buildah builder of roles/images: the command line of one build."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.storefleet.platform.plugins.filter.buildah_build_argv import (  # isort: skip
    buildah_build_argv,
)

BASES = {
    "localhost/storefleet/node:20.20.2-bookworm-slim": {"kind": "node", "build_arg": "NODE_IMAGE"},
    "localhost/storefleet/debian:bookworm-slim": {"kind": "debian", "build_arg": "EE_BASE_IMAGE"},
}


def test_dockerfile_image_builds_its_context_from_the_local_base() -> None:
    image = {
        "name": "medusa-backend",
        "context": "docker/medusa-backend",
        "builder": "dockerfile",
        "bases": ["localhost/storefleet/node:20.20.2-bookworm-slim"],
    }
    argv = buildah_build_argv(image, "127.0.0.1:5000/storefleet/medusa-backend:abc", "/src", BASES)
    assert argv[:3] == ["buildah", "bud", "--pull=never"]
    assert argv[argv.index("--file") + 1] == "/src/docker/medusa-backend/Dockerfile"
    assert argv[argv.index("--tag") + 1] == "127.0.0.1:5000/storefleet/medusa-backend:abc"
    assert "--build-arg=NODE_IMAGE=localhost/storefleet/node:20.20.2-bookworm-slim" in argv
    assert argv[-1] == "/src/docker/medusa-backend"


def test_store_images_build_from_docker_with_their_own_dockerfile() -> None:
    image = {
        "name": "medusa-storefront",
        "context": "docker",
        "dockerfile": "medusa-storefront/Dockerfile",
        "builder": "dockerfile",
        "bases": ["localhost/storefleet/node:20.20.2-bookworm-slim"],
    }
    argv = buildah_build_argv(image, "r/s:t", "/src", BASES)
    assert argv[argv.index("--file") + 1] == "/src/docker/medusa-storefront/Dockerfile"
    assert argv[-1] == "/src/docker"
    assert not any(word.startswith("--ulimit") for word in argv)
    raised = buildah_build_argv(image, "r/s:t", "/src", BASES, 16384)
    assert "--ulimit=nofile=16384:16384" in raised
    assert raised[-1] == "/src/docker"


def test_execution_environment_builds_the_generated_context() -> None:
    image = {
        "name": "store-provisioner",
        "context": "docker/store-provisioner",
        "builder": "ansible-builder",
        "bases": ["localhost/storefleet/debian:bookworm-slim"],
    }
    argv = buildah_build_argv(image, "r/s:t", "/src", BASES)
    assert argv[argv.index("--file") + 1] == "/src/docker/store-provisioner/context/Containerfile"
    assert "--build-arg=EE_BASE_IMAGE=localhost/storefleet/debian:bookworm-slim" in argv
    assert argv[-1] == "/src/docker/store-provisioner/context"


def test_unknown_base_is_refused() -> None:
    image = {"name": "x", "context": "docker/x", "builder": "dockerfile", "bases": ["nope:1"]}
    with pytest.raises(AnsibleFilterError, match="no local base image nope:1"):
        buildah_build_argv(image, "r/x:t", "/src", BASES)
