"""Load the collection as ansible-playbook does, once for every unit test: test modules
import ansible_collections.storefleet.platform, and a Templar resolves the
storefleet.platform.* filter and lookup names."""

from __future__ import annotations

from pathlib import Path

from ansible.plugins.loader import init_plugin_loader
from ansible.utils.collection_loader import AnsibleCollectionConfig

COLLECTIONS_ROOT = Path(__file__).resolve().parents[2] / ".collections"

if AnsibleCollectionConfig.collection_finder is None:
    init_plugin_loader([str(COLLECTIONS_ROOT)])
