"""The content tag of an image: a hash of its build inputs (plugins/filter/content_tag.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ansible.errors import AnsibleFilterError

from tests.unit.test_cluster_command_lines import REPO_ROOT, render, role_vars

# Imported through the collection loader, as Ansible loads the filter.
from ansible_collections.storefleet.platform.plugins.filter.content_tag import (  # isort: skip
    content_tag,
)


@pytest.fixture
def context(tmp_path: Path) -> Path:
    root = tmp_path / "medusa-backend"
    (root / "src").mkdir(parents=True)
    (root / "Dockerfile").write_text("FROM node:22-bookworm-slim\n")
    (root / "package.json").write_text('{"name": "backend"}\n')
    (root / "src" / "index.ts").write_text("export {}\n")
    return root


def test_same_inputs_same_tag(context: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(context, copy)
    tag = content_tag(str(context))
    assert tag == content_tag(str(copy))
    assert len(tag) == 12
    assert int(tag, 16) >= 0


def test_changed_content_changes_the_tag(context: Path) -> None:
    before = content_tag(str(context))
    (context / "src" / "index.ts").write_text("export const x = 1\n")
    assert content_tag(str(context)) != before


def test_added_renamed_or_removed_file_changes_the_tag(context: Path) -> None:
    tags = {content_tag(str(context))}
    (context / "src" / "extra.ts").write_text("")
    tags.add(content_tag(str(context)))
    (context / "src" / "extra.ts").rename(context / "src" / "other.ts")
    tags.add(content_tag(str(context)))
    (context / "src" / "other.ts").unlink()
    assert content_tag(str(context)) in tags
    assert len(tags) == 3


def test_moving_bytes_between_name_and_content_changes_the_tag(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "ab").write_text("c")
    (second / "a").write_text("bc")
    assert content_tag(str(first)) != content_tag(str(second))


@pytest.mark.parametrize("ignored", ["node_modules", ".next", ".medusa", "dist", "out"])
def test_build_outputs_do_not_change_the_tag(context: Path, ignored: str) -> None:
    before = content_tag(str(context))
    (context / ignored / "deep").mkdir(parents=True)
    (context / ignored / "deep" / "file.js").write_text("built\n")
    assert content_tag(str(context)) == before


def test_several_inputs_are_all_hashed(context: Path, tmp_path: Path) -> None:
    roles = tmp_path / "roles"
    roles.mkdir()
    (roles / "main.yml").write_text("---\n")
    before = content_tag([str(context), str(roles)])
    assert before != content_tag(str(context))
    (roles / "main.yml").write_text("--- # changed\n")
    assert content_tag([str(context), str(roles)]) != before


def test_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(AnsibleFilterError, match="is not a directory"):
        content_tag(str(tmp_path / "nope"))


def test_filter_renders_through_ansible(context: Path) -> None:
    templar = role_vars("local", "localhost", "images", {"context_dir": str(context)})
    assert render(templar, "context_dir | storefleet.platform.content_tag") == content_tag(
        str(context)
    )


@pytest.mark.parametrize(
    ("inventory", "pushed", "pulled"),
    [
        ("local", "localhost:5000", "storefleet-registry:5000"),
        ("prod", "registry.example.com", "registry.example.com"),
    ],
)
def test_images_land_where_stores_pull_them(inventory: str, pushed: str, pulled: str) -> None:
    """The images role pushes to the repositories the store role pulls from."""
    images = role_vars(inventory, "localhost", "images")
    store = role_vars(inventory, "localhost", "store", {"store_name": "demo"})
    prefix = render(images, "images_push_registry ~ '/' ~ images_repository_prefix")
    assert prefix == f"{pushed}/storefleet"
    for image, repository in [
        ("medusa-backend", "store_backend_image_repository"),
        ("medusa-storefront", "store_storefront_image_repository"),
    ]:
        assert render(store, repository) == f"{pulled}/storefleet/{image}"
    moving = render(images, "images_moving_tag")
    assert render(store, "store_default_image_tag") == moving
    # Argo's workflow steps run the provisioner image the images role pushes (here with
    # no release recorded: the registry's at the moving tag).
    argo = role_vars(inventory, "localhost", "argo", {"__argo_image_release": {"resources": []}})
    assert render(argo, "__argo_step_image") == f"{pulled}/storefleet/store-provisioner:{moving}"


def test_catalog_contexts_exist() -> None:
    templar = role_vars("local", "localhost", "images")
    catalog = render(templar, "images_catalog")
    assert [image["name"] for image in catalog] == [
        "medusa-backend",
        "medusa-storefront",
        "store-provisioner",
    ]
    for image in catalog:
        assert (REPO_ROOT / image["context"]).is_dir(), image["context"]
        if image["builder"] == "ansible-builder":
            assert image["context"] in image["inputs"]


def copied_from_context(dockerfile: Path) -> list[str]:
    """The context paths a Dockerfile's COPY instructions read (not those of a stage)."""
    sources = []
    for line in dockerfile.read_text().splitlines():
        words = line.split()
        if words[:1] == ["COPY"] and not any(word.startswith("--from") for word in words):
            sources += [word for word in words[1:-1] if not word.startswith("--")]
    return sources


def test_every_file_a_store_image_copies_is_an_input_of_its_tag() -> None:
    """A shared context (docker/) must not let a copied directory escape the content tag."""
    catalog = render(role_vars("local", "localhost", "images"), "images_catalog")
    for image in [image for image in catalog if image["builder"] == "dockerfile"]:
        dockerfile = REPO_ROOT / image["context"] / image["dockerfile"]
        sources = copied_from_context(dockerfile)
        assert sources, dockerfile
        for source in sources:
            path = f"{image['context']}/{source}".rstrip("/.")
            assert any(path == root or path.startswith(root + "/") for root in image["inputs"]), (
                image["name"],
                source,
            )


def test_links_count_as_their_target(context: Path) -> None:
    (context / "dangling").symlink_to("nowhere")
    tag = content_tag(str(context))
    (context / "dangling").unlink()
    (context / "dangling").symlink_to("elsewhere")
    assert content_tag(str(context)) != tag


def test_an_image_can_ignore_its_own_build_outputs(context: Path) -> None:
    before = content_tag(str(context))
    (context / "context").mkdir()
    (context / "context" / "Containerfile").write_text("FROM scratch\n")
    assert content_tag(str(context), also_ignored=["context"]) == before
    assert content_tag(str(context)) != before


def test_extra_inputs_change_the_tag(context: Path) -> None:
    plain = content_tag(str(context))
    assert content_tag(str(context), extra=["buildah", "sha256:aaa"]) != plain
    assert content_tag(str(context), extra=["buildah", "sha256:aaa"]) != content_tag(
        str(context), extra=["buildah", "sha256:bbb"]
    )
    assert content_tag(str(context), extra=[]) == plain
