# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""Filters over the store request and platform settings contracts.

Each filter's documentation is in the YAML file of the same name next to this one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible_collections.storefleet.platform.plugins.module_utils import (
    applied_request,
    image_reference,
    platform_settings,
    store_request,
)


def store_request_errors(request, plans, action="create"):
    """Every broken rule of a request ({role variable: value}); [] when valid."""
    return store_request.request_errors(request, plans, action)


def store_settings_errors(settings):
    """Every broken rule of the platform settings ({role variable: value}); [] when valid."""
    return platform_settings.settings_errors(settings)


def store_request_from_workflow(text):
    """{role variable: value} from Argo's {{workflow.parameters.json}}."""
    try:
        return store_request.request_from_workflow(text)
    except store_request.RequestError as error:
        raise AnsibleFilterError(str(error)) from None


def store_workflow_parameters(request, action="create"):
    """{Argo parameter: string} of a request."""
    try:
        return store_request.workflow_parameters(request, action)
    except ValueError as error:
        raise AnsibleFilterError(str(error)) from None


def store_settings_environment(settings):
    """{STOREFLEET_*: string}: the settings as the workflow steps' environment."""
    try:
        return platform_settings.settings_environment(settings)
    except (KeyError, ValueError) as error:
        raise AnsibleFilterError("platform settings: %s" % error) from None


def store_applied_request(parameters, settings_environment, step_image):
    """The digest a Ready Store records of what its last workflow applied."""
    try:
        return applied_request.applied_request_digest(parameters, settings_environment, step_image)
    except ValueError as error:
        raise AnsibleFilterError("store_applied_request: %s" % error) from None


def image_reference_error(reference):
    """'' for a tagged image reference repository:tag, else why not."""
    return image_reference.image_error(reference)


class FilterModule:
    """storefleet.platform request and settings filters."""

    def filters(self):
        return {
            "store_request_errors": store_request_errors,
            "store_settings_errors": store_settings_errors,
            "store_request_from_workflow": store_request_from_workflow,
            "store_workflow_parameters": store_workflow_parameters,
            "store_settings_environment": store_settings_environment,
            "store_applied_request": store_applied_request,
            "image_reference_error": image_reference_error,
        }
