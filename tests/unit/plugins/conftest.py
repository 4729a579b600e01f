"""Load the collection as Ansible does: ansible_collections.storefleet.platform."""

from __future__ import annotations

from pathlib import Path

from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

COLLECTIONS_ROOT = Path(__file__).resolve().parents[3] / ".collections"

# The same finder ansible-playbook and ansible-test install; it also lets the Templar in
# test_filters.py resolve storefleet.platform.* filter names.
_AnsibleCollectionFinder(paths=[str(COLLECTIONS_ROOT)])._install()
