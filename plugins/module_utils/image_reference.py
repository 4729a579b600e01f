# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""The grammar of a container image reference, split as the store chart takes it.

A repository is ``[host[:port]/]path`` and a tag a word of up to 128 characters, after
the distribution reference grammar (github.com/distribution/reference). The store
chart's values.schema.json carries the same two patterns; a unit test keeps them equal.
Match with ``re.fullmatch``: Python's ``$`` also matches before a final newline.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

IMAGE_REPOSITORY_PATTERN = (
    r"^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
    r"(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*"
    r"(?::[0-9]+)?/)?"
    r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
    r"(?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*$"
)
IMAGE_TAG_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"
