# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""content_tag: a short hash of an image's build inputs, used as its tag.

The documentation is in content_tag.yml next to this file.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import os

from ansible.errors import AnsibleFilterError

# Build outputs and local state: never inputs of an image build.
DEFAULT_IGNORED = ("node_modules", ".next", ".medusa", "dist", "out", ".git", "__pycache__")
TAG_LENGTH = 12


def _input_files(root, ignored):
    """Paths of every file below root, relative and sorted, skipping ignored names."""
    found = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [name for name in subdirectories if name not in ignored]
        for name in files:
            if name not in ignored:
                path = os.path.join(directory, name)
                found.append(os.path.relpath(path, root).replace(os.sep, "/"))
    return sorted(found)


def content_tag(paths, ignored=DEFAULT_IGNORED, length=TAG_LENGTH, also_ignored=(), extra=()):
    """Hex prefix of a sha256 over the sorted file names and contents below `paths`, and
    the `extra` strings (what else the build depends on, such as its base images' IDs)."""
    if isinstance(paths, str):
        paths = [paths]
    ignored = tuple(ignored) + tuple(also_ignored)
    digest = hashlib.sha256()
    for root in paths:
        if not os.path.isdir(root):
            raise AnsibleFilterError("content_tag: %s is not a directory" % root)
        for relative in _input_files(root, frozenset(ignored)):
            path = os.path.join(root, relative)
            # A link is hashed as where it points (it may dangle in a build output).
            if os.path.islink(path):
                content = b"link:" + os.readlink(path).encode("utf-8")
            else:
                with open(path, "rb") as handle:
                    content = handle.read()
            # Name and content are length-delimited, so moving bytes between them differs.
            for part in (relative.encode("utf-8"), content):
                digest.update(str(len(part)).encode("ascii") + b":")
                digest.update(part)
    for text in extra:
        part = b"extra:" + str(text).encode("utf-8")
        digest.update(str(len(part)).encode("ascii") + b":")
        digest.update(part)
    return digest.hexdigest()[: int(length)]


class FilterModule:
    """storefleet.platform image filters."""

    def filters(self):
        return {"content_tag": content_tag}
