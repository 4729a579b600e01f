# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""What a Store's last successful workflow applied, as one digest.

A workflow step works from three things: the request's workflow parameters, the platform
settings it reads from its environment (the settings ConfigMap), and its own image (the
collection and chart it runs). The report step records their digest on the Store
(status.appliedRequest); before submitting a workflow, the store role computes the digest
of what the new one would run with, and a Ready Store that records the same digest has
nothing to gain from it. Any other phase write clears the digest (module_utils
store_status), so a Store changed by any other path is never taken as up to date.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json

from .platform_settings import SETTINGS

DIGEST_LENGTH = 32
_SETTING_NAMES = frozenset(setting.environment for setting in SETTINGS)


def applied_request_digest(parameters, settings_environment, step_image):
    """Hex digest of the workflow parameters ({name: string}), the platform settings as the
    steps' environment ({STOREFLEET_*: string}; other keys are ignored) and the step image."""
    if not isinstance(parameters, dict) or not isinstance(settings_environment, dict):
        raise ValueError("parameters and settings_environment must be mappings")
    if not step_image:
        raise ValueError("the step image is required")
    document = {
        "parameters": {str(name): str(value) for name, value in parameters.items()},
        "settings": {
            name: str(value)
            for name, value in settings_environment.items()
            if name in _SETTING_NAMES
        },
        "image": str(step_image),
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]
