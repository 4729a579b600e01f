"""An AWX as awx_configure.yml leaves it, written straight into the test server's memory.

The TUI tests need the job templates, not the hours of a playbook run:
tests/integration/test_awx_configure.py shows that the playbook makes these very
templates (names, playbooks, surveys) from inventories/local.
"""

from __future__ import annotations

from tests.awx_server.data import inventory_data, role_surveys, survey_of
from tests.awx_server.server import AwxTestServer

# The test server's user who may launch and cancel jobs, and nothing else.
OPERATOR = "operator-token"


def configure_templates(server: AwxTestServer, inventory: str = "local") -> None:
    """The inventory's job templates with the role's surveys, on the recorded AWX."""
    state = server.state
    surveys = role_surveys()
    organization = state.find("organizations", "Storefleet")
    project = state.find("projects", "storefleet")
    stores = state.find("inventories", "storefleet-local")
    assert organization and project and stores, "use the recorded AWX (seed='recorded')"
    state.update(
        "projects", project["id"], {"scm_type": "git", "scm_url": "https://example.invalid/s.git"}
    )
    fleet = state.find("inventories", "storefleet-local-stores") or state.create(
        "inventories", {"name": "storefleet-local-stores", "organization": organization["id"]}
    )
    for item in inventory_data(inventory)["controller_templates"]:
        on_fleet = item.get("inventory") == "{{ storefleet_awx_fleet_inventory }}"
        fields = {
            "name": item["name"],
            "project": project["id"],
            "inventory": (fleet if on_fleet else stores)["id"],
            "playbook": item["playbook"],
            "survey_enabled": True,
            "ask_variables_on_launch": False,
            "ask_limit_on_launch": bool(item.get("ask_limit_on_launch")),
            "allow_simultaneous": bool(item.get("allow_simultaneous")),
        }
        existing = state.find("job_templates", item["name"])
        if existing:
            template = state.update("job_templates", existing["id"], fields)
        else:
            template = state.create("job_templates", fields)
        state.set_survey("job_templates", template["id"], surveys[survey_of(item)])
