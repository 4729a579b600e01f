"""The digest a Ready Store records of what its last workflow applied, computed alike by
the store role before it submits (the settings ConfigMap's data) and by the report step
(its own request and settings)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ansible_collections.storefleet.platform.plugins.module_utils import platform_settings as ps
from ansible_collections.storefleet.platform.plugins.module_utils import store_request as sr
from ansible_collections.storefleet.platform.plugins.module_utils.applied_request import (
    applied_request_digest,
)

from tests.unit.plugins.test_platform_settings import GOOD as SETTINGS
from tests.unit.plugins.test_store_request import GOOD as REQUEST

IMAGE = "127.0.0.1:5000/storefleet/store-provisioner:6098d41a496a"


def digest(request: dict[str, Any] = REQUEST, settings: dict[str, Any] = SETTINGS) -> str:
    return applied_request_digest(
        sr.workflow_parameters(request), ps.settings_environment(settings), IMAGE
    )


def test_the_step_computes_what_the_controller_computes() -> None:
    # The controller: its request's parameters, the ConfigMap's data (with Argo's own keys
    # beside), the step template's image.
    configmap_data = {**ps.settings_environment(SETTINGS), "not-a-setting": "x"}
    before_submit = applied_request_digest(sr.workflow_parameters(REQUEST), configmap_data, IMAGE)
    # The step: the request back from {{workflow.parameters.json}}.
    text = json.dumps([{"name": k, "value": v} for k, v in sr.workflow_parameters(REQUEST).items()])
    in_step = applied_request_digest(
        sr.workflow_parameters(sr.request_from_workflow(text)),
        ps.settings_environment(SETTINGS),
        IMAGE,
    )
    assert before_submit == in_step == digest()
    assert len(in_step) == 32


@pytest.mark.parametrize(
    ("request_change", "settings_change"),
    [
        ({"store_backend_image_tag": "0.3.0"}, {}),
        ({"store_labels": {"tier": "gold"}}, {}),
        ({"store_seed_demo_data": "true"}, {}),
        ({}, {"store_worker_mode": "shared"}),
        ({}, {"store_pod_tolerations": []}),
    ],
)
def test_any_change_of_request_or_settings_changes_it(
    request_change: dict[str, Any], settings_change: dict[str, Any]
) -> None:
    assert digest({**REQUEST, **request_change}, {**SETTINGS, **settings_change}) != digest()


def test_another_step_image_changes_it() -> None:
    parameters = sr.workflow_parameters(REQUEST)
    settings = ps.settings_environment(SETTINGS)
    assert applied_request_digest(parameters, settings, IMAGE + "0") != digest()


def test_no_image_no_digest() -> None:
    with pytest.raises(ValueError, match="step image"):
        applied_request_digest(sr.workflow_parameters(REQUEST), {}, "")
