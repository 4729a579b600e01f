# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""Container image references: the grammar of the distribution project's `reference`
package (what Docker, containerd and every registry accept), as regular expressions.

The patterns are written once here and copied verbatim into the Store CRD
(spec.backendImage, spec.storefrontImage) and the store chart's values.schema.json;
unit tests keep the copies equal. They use only what Python's re, Go's RE2 (the API
server) and ECMA-262 (JSON Schema) read alike: no \\w, no POSIX classes, anchors ^ and $.
Python callers match with re.fullmatch, so '$' never accepts a trailing newline.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# One path component: lowercase letters and digits, joined by '.', '_', '__' or dashes.
_ALPHANUMERIC = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
PATH_COMPONENT = r"%s(?:%s%s)*" % (_ALPHANUMERIC, _SEPARATOR, _ALPHANUMERIC)
# A registry host: DNS labels (any case) or an IPv6 literal in brackets, then a port.
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = r"(?:%s(?:[.]%s)*|\[[a-fA-F0-9:]+\])" % (_DOMAIN_COMPONENT, _DOMAIN_COMPONENT)
_HOST_AND_PORT = r"%s(?::[0-9]+)?" % _HOST
_PATH = r"%s(?:/%s)*" % (PATH_COMPONENT, PATH_COMPONENT)
_TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"

# A tag: a word character first, at most 128 characters.
TAG_PATTERN = r"^%s$" % _TAG
# Where images are pulled from: host[:port] and an optional path prefix
# ("registry.example.com", "storefleet-registry:5000", "ghcr.io/acme").
REGISTRY_PATTERN = r"^%s(?:/%s)?$" % (_HOST_AND_PORT, _PATH)
# An image repository, its registry included or not ("ghcr.io/acme/shop", "busybox").
REPOSITORY_PATTERN = r"^(?:%s/)?%s$" % (_HOST_AND_PORT, _PATH)
# A tagged image reference, repository:tag. No digest: the store chart pins by tag.
IMAGE_PATTERN = r"^(?:%s/)?%s:%s$" % (_HOST_AND_PORT, _PATH, _TAG)
# The distribution project caps a repository name (registry included) at 255 characters.
REPOSITORY_MAX_LENGTH = 255


def _is(pattern, value):
    return isinstance(value, str) and re.fullmatch(pattern, value) is not None


def _shown(value):
    text = value if isinstance(value, str) else str(value)
    return repr(text) if len(text) <= 80 else repr(text[:77] + "...")


def tag_error(value, what="image tag"):
    """'' for a valid tag, else why not."""
    if _is(TAG_PATTERN, value):
        return ""
    return (
        "%s %s is not a tag: letters, digits, '_', '.' and '-', starting with a letter, "
        "digit or '_', at most 128 characters" % (what, _shown(value))
    )


def registry_error(value):
    """'' for a valid registry (host[:port][/path]), else why not."""
    if _is(REGISTRY_PATTERN, value) and len(value) < REPOSITORY_MAX_LENGTH:
        return ""
    return (
        "image registry %s is not host[:port][/path] (for example registry.example.com, "
        "storefleet-registry:5000 or ghcr.io/acme)" % _shown(value)
    )


def image_error(value, what="image"):
    """'' for a valid tagged reference repository:tag, else why not."""
    if _is(IMAGE_PATTERN, value) and len(split_image(value)[0]) <= REPOSITORY_MAX_LENGTH:
        return ""
    return "%s %s is not an image reference [registry[:port]/]path:tag" % (what, _shown(value))


def split_image(reference):
    """('registry:5000/path', 'tag') of 'registry:5000/path:tag': the tag follows the last
    ':' that has no '/' after it (a registry port is not a tag)."""
    repository, colon, tag = reference.rpartition(":")
    if not colon or "/" in tag:
        return reference, ""
    return repository, tag
