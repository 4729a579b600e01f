# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""Names of the platform's own objects: fixed, not settings.

The platform, argo and store roles read them through the lookup
storefleet.platform.platform_names, the modules import them, and the argo role writes
them into the WorkflowTemplates, so each name is written here and nowhere else.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .naming import PLATFORM_NAMESPACE

# Namespace of the Store objects, the WorkflowTemplates and their Workflows.
NAMESPACE = PLATFORM_NAMESPACE
# The identity every phase runs as outside a person's own kubeconfig (Argo steps, AWX).
PROVISIONER = "storefleet-provisioner"
PROVISIONER_SUBJECT = "system:serviceaccount:%s:%s" % (NAMESPACE, PROVISIONER)
# ClusterRoles bound inside each store namespace.
STORE_PROVISIONER_ROLE = "storefleet-store-provisioner"
STORE_VIEWER_ROLE = "storefleet-store-viewer"
# The Store resource.
STORE_GROUP = "storefleet.io"
STORE_VERSION = "v1alpha1"
STORE_KIND = "Store"
STORE_PLURAL = "stores"
STORE_CRD = "%s.%s" % (STORE_PLURAL, STORE_GROUP)
# Platform settings the workflow steps read (environment of every step container).
SETTINGS_CONFIGMAP = "storefleet-platform-settings"
# The images roles/images built last (image name -> reference): what new stores and the
# workflow steps run, by content tag.
IMAGES_CONFIGMAP = "storefleet-images"
# The provisioning semaphore (ConfigMap and key) that caps concurrent store workflows.
SEMAPHORE_CONFIGMAP = "storefleet-provisioning-semaphore"
SEMAPHORE_KEY = "stores"
# WorkflowTemplates: one per action, and the step templates both share.
PROVISION_TEMPLATE = "store-provision"
DELETE_TEMPLATE = "store-delete"
STEPS_TEMPLATE = "store-steps"
# One writer per store: Lease "store-<name>" (direct runs), Argo mutex of the same name.
LOCK_PREFIX = "store-"


def platform_names():
    """Every name above, keyed as the roles use them."""
    return {
        "namespace": NAMESPACE,
        "provisioner": PROVISIONER,
        "provisioner_subject": PROVISIONER_SUBJECT,
        "store_provisioner_role": STORE_PROVISIONER_ROLE,
        "store_viewer_role": STORE_VIEWER_ROLE,
        "store_group": STORE_GROUP,
        "store_version": STORE_VERSION,
        "store_api_version": "%s/%s" % (STORE_GROUP, STORE_VERSION),
        "store_kind": STORE_KIND,
        "store_crd": STORE_CRD,
        "settings_configmap": SETTINGS_CONFIGMAP,
        "images_configmap": IMAGES_CONFIGMAP,
        "semaphore_configmap": SEMAPHORE_CONFIGMAP,
        "semaphore_key": SEMAPHORE_KEY,
        "provision_template": PROVISION_TEMPLATE,
        "delete_template": DELETE_TEMPLATE,
        "steps_template": STEPS_TEMPLATE,
        "lock_prefix": LOCK_PREFIX,
    }


def lock_name(store):
    """The Lease (and Argo mutex) that one writer of store `store` holds."""
    return LOCK_PREFIX + store
