"""The real nodes' own images, made on this machine.

No registry is reachable from here, so the images a node needs beside the project's
own are made locally: from single static binaries, with buildah from scratch, the pod
sandbox (pause, compiled from pause.c), busybox (the storage provisioner's helper pods,
from Debian's busybox-static), CoreDNS, Argo's executor and kubectl (the Go tools `make
tools` built); from Debian packages, stand-ins for the official PostgreSQL and Redis
images the store chart names (postgres/ and redis/). Each is tagged with the hash of its
content and pushed to the sandbox registry only when that tag is missing.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import registry
from ..client import tool

HERE = Path(__file__).resolve().parent
PAUSE_SOURCE = HERE / "pause.c"
DEBIAN_BASE = "localhost/storefleet/debian:bookworm-slim"
ASSEMBLE_BASE = HERE.parents[2] / "docker" / "base-images" / "assemble.sh"
# Images built from a Dockerfile here, on the local Debian base.
DOCKERFILE_IMAGES = ("postgres", "redis")
REPOSITORY_PREFIX = "storefleet-sandbox"
# Commands the storage provisioner's setup and teardown scripts run, and the network
# probes of the tests.
BUSYBOX_APPLETS = (
    "sh",
    "mkdir",
    "rm",
    "ls",
    "cat",
    "echo",
    "sleep",
    "true",
    "wget",
    "nc",
    "nslookup",
    "httpd",
)


@dataclass
class AddonImage:
    """One image: files to place (image path -> host path), entry point, user."""

    name: str
    files: dict[str, Path]
    entrypoint: list[str]
    links: dict[str, str] = field(default_factory=dict)
    directories: tuple[str, ...] = ()
    user: str = "65532:65532"

    def tag(self) -> str:
        digest = hashlib.sha256()
        for target, source in sorted(self.files.items()):
            digest.update(target.encode())
            digest.update(source.read_bytes())
        for link, target in sorted(self.links.items()):
            digest.update(f"{link}->{target}".encode())
        digest.update(repr((self.entrypoint, self.directories, self.user)).encode())
        return digest.hexdigest()[:16]

    @property
    def repository(self) -> str:
        return f"{REPOSITORY_PREFIX}/{self.name}"

    def reference(self) -> str:
        return f"{registry.REGISTRY_HOST}/{self.repository}:{self.tag()}"


def _compile_pause(workdir: Path) -> Path:
    output = workdir / "pause"
    subprocess.run(
        ["gcc", "-static", "-Os", "-s", "-o", str(output), str(PAUSE_SOURCE)], check=True
    )
    return output


def addon_images(workdir: Path) -> dict[str, AddonImage]:
    busybox = Path("/bin/busybox")
    if not busybox.exists():
        raise FileNotFoundError("/bin/busybox missing: run `make tools` (Debian's busybox-static)")
    return {
        "pause": AddonImage("pause", {"/pause": _compile_pause(workdir)}, ["/pause"]),
        "busybox": AddonImage(
            "busybox",
            {"/bin/busybox": busybox},
            ["/bin/sh"],
            links={f"/bin/{applet}": "busybox" for applet in BUSYBOX_APPLETS},
            directories=("/tmp",),  # noqa: S108 - the image's own /tmp
            user="0:0",
        ),
        "coredns": AddonImage("coredns", {"/coredns": Path(tool("coredns"))}, ["/coredns"]),
        "argoexec": AddonImage(
            "argoexec",
            {"/bin/argoexec": Path(tool("argoexec"))},
            ["/bin/argoexec"],
            directories=("/tmp",),  # noqa: S108 - the image's own /tmp
            user="8737:8737",
        ),
        "kubectl": AddonImage("kubectl", {"/bin/kubectl": Path(tool("kubectl"))}, ["/bin/kubectl"]),
    }


def _debian_base_id() -> str:
    """The local Debian base's image ID, assembled first when it is missing."""
    found = _buildah("images", "--no-trunc", "--quiet", DEBIAN_BASE, check=False).strip()
    if not found:
        subprocess.run([str(ASSEMBLE_BASE), "debian", DEBIAN_BASE], check=True)
        found = _buildah("images", "--no-trunc", "--quiet", DEBIAN_BASE).strip()
    return found.splitlines()[0]


def _dockerfile_tag(name: str, base_id: str) -> str:
    digest = hashlib.sha256(base_id.encode())
    for path in sorted((HERE / name).iterdir()):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _build_dockerfile_image(name: str, reference: str) -> None:
    _buildah(
        "bud",
        "--pull=never",
        "--layers",
        "--format",
        "docker",
        f"--build-arg=BASE_IMAGE={DEBIAN_BASE}",
        "--tag",
        reference,
        str(HERE / name),
    )
    _buildah("push", "--quiet", "--tls-verify=false", reference, f"docker://{reference}")


def _build(image: AddonImage, workdir: Path) -> None:
    rootfs = workdir / f"rootfs-{image.name}"
    for target, source in image.files.items():
        destination = rootfs / target.lstrip("/")
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
        destination.chmod(0o755)
    for link, target in image.links.items():
        path = rootfs / link.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)
    for directory in image.directories:
        (rootfs / directory.lstrip("/")).mkdir(parents=True, exist_ok=True)
        (rootfs / directory.lstrip("/")).chmod(0o1777)
    container = _buildah("from", "scratch").strip()
    try:
        _buildah("copy", container, f"{rootfs}/.", "/")
        _buildah(
            "config",
            "--entrypoint",
            _json_list(image.entrypoint),
            "--user",
            image.user,
            "--label",
            f"org.opencontainers.image.title=storefleet-sandbox {image.name}",
            container,
        )
        _buildah("commit", "--quiet", "--format", "docker", container, image.reference())
    finally:
        _buildah("rm", container, check=False)
    _buildah(
        "push", "--quiet", "--tls-verify=false", image.reference(), f"docker://{image.reference()}"
    )


def _json_list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def _buildah(*args: str, check: bool = True) -> str:
    result = subprocess.run(["buildah", *args], capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise RuntimeError(f"buildah {args[0]} failed: {result.stderr.strip()}")
    return result.stdout


def ensure_addon_images() -> dict[str, str]:
    """Push every add-on image whose tag the registry lacks; return name -> reference."""
    references = {}
    with tempfile.TemporaryDirectory(prefix="storefleet-addons-") as tmp:
        for name, image in addon_images(Path(tmp)).items():
            if not registry.has_tag(image.repository, image.tag()):
                _build(image, Path(tmp))
            references[name] = image.reference()
    base_id = _debian_base_id()
    for name in DOCKERFILE_IMAGES:
        tag = _dockerfile_tag(name, base_id)
        repository = f"{REPOSITORY_PREFIX}/{name}"
        reference = f"{registry.REGISTRY_HOST}/{repository}:{tag}"
        if not registry.has_tag(repository, tag):
            _build_dockerfile_image(name, reference)
        references[name] = reference
    return references
