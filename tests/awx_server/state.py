"""What the test server remembers: AWX objects, surveys, role grants, jobs and events.

Objects are shaped like the recorded ones (same fields, `related` links and
`summary_fields`), filled with what was written and, for the rest, with the defaults
AWX's OPTIONS response (or its schema) gives. A GET after a POST or PATCH returns what
was written, so a configuration run can be repeated against it and judged idempotent.
Secrets read back as `$encrypted$`, as on a real AWX.

A launched job replays the recorded job's events, a few more on each read of its
events, then finishes with the recorded status; a cancel stops it where it is.
"""

from __future__ import annotations

import copy
import itertools
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.awx_server import recorded, surveys
from tests.awx_server.filters import filter_items
from tests.awx_server.schema import (
    ATTACHABLE,
    COMPUTED,
    ENCRYPTED,
    FINISHED,
    FOREIGN_KEYS,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    RECORDED_KINDS,
    SUBLISTS,
    UNIFIED_KINDS,
    KindSchema,
    kind_schema,
)


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Refused(Exception):
    """An answer other than success: status and body."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"{status} {body}")
        self.status = status
        self.body = body


@dataclass
class Job:
    record: dict[str, Any]
    events: list[dict[str, Any]]
    final_status: str
    shown: int = 0


@dataclass
class AwxState:
    """One AWX: `fresh` has only what a new AWX ships, `recorded` all that was recorded."""

    seed: str = "fresh"
    project_root: Path | None = None
    events_per_read: int = 4
    objects: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)
    links: dict[tuple[str, int, str], list[int]] = field(default_factory=dict)
    survey_specs: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    roles: dict[int, dict[str, Any]] = field(default_factory=dict)
    jobs: dict[int, Job] = field(default_factory=dict)
    schemas: dict[str, KindSchema] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._ids: dict[str, Iterator[int]] = {}
        self._role_ids = itertools.count(1000)
        self._event_ids = itertools.count(1000)
        for kind in (
            *RECORDED_KINDS,
            "inventory_sources",
            "workflow_job_template_nodes",
            "labels",
            "project_updates",
            "jobs",
        ):
            self.schemas[kind] = kind_schema(kind)
            self.objects[kind] = {}
        self._seed()

    # -- seeding -----------------------------------------------------------------------

    def _seed(self) -> None:
        for kind in RECORDED_KINDS:
            for item in recorded.get(kind)["results"]:
                if self.seed == "fresh" and not self._ships_with_awx(kind, item):
                    continue
                self._adopt(kind, item)
        if self.seed == "recorded":
            spec = recorded.get("job_templates_7_survey_spec")
            if 7 in self.objects["job_templates"]:
                self.survey_specs[("job_templates", 7)] = spec
            job = recorded.get("jobs_2")
            events = sorted(
                recorded.get("jobs_2_job_events")["results"], key=lambda e: e["counter"]
            )
            self.objects["jobs"][job["id"]] = job
            self.jobs[job["id"]] = Job(job, events, job["status"], shown=len(events))
        for kind, items in self.objects.items():
            start = max(items, default=0) + 1
            self._ids[kind] = itertools.count(max(start, 100 if kind == "jobs" else start))

    @staticmethod
    def _ships_with_awx(kind: str, item: dict[str, Any]) -> bool:
        """Managed credential types and the global execution environments."""
        if kind == "credential_types":
            return bool(item.get("managed"))
        if kind == "execution_environments":
            return item.get("organization") is None
        return False

    def _adopt(self, kind: str, item: dict[str, Any]) -> None:
        stored = {k: v for k, v in item.items() if k not in ("related", "summary_fields", "url")}
        roles = item.get("summary_fields", {}).get("object_roles", {})
        stored["_roles"] = {}
        for role_field, role in roles.items():
            self.roles[role["id"]] = self._role(kind, item["id"], role_field, role)
            stored["_roles"][role_field] = role["id"]
        self.objects[kind][item["id"]] = stored
        if kind == "credentials":
            # The recorded secrets are not known: keep a placeholder that is not empty.
            stored["inputs"] = {key: "(recorded secret)" for key in stored.get("inputs", {})}

    def _role(self, kind: str, ident: int, role_field: str, role: dict[str, Any]) -> dict[str, Any]:
        return {
            "field": role_field,
            "kind": kind,
            "object": ident,
            "name": role["name"],
            "description": role["description"],
            "teams": [],
            "users": [],
        }

    # -- reading -----------------------------------------------------------------------

    def get(self, kind: str, ident: int) -> dict[str, Any]:
        found = self.objects.get(kind, {}).get(ident)
        if found is None:
            raise Refused(404, {"detail": "Not found."})
        return found

    def lookup(self, kind: str, ident: int) -> dict[str, Any]:
        """An object, or {} when there is none (for filters across a foreign key)."""
        return self.objects.get(kind, {}).get(ident, {})

    def find(self, kind: str, name: str) -> dict[str, Any] | None:
        return next((o for o in self.objects[kind].values() if o.get("name") == name), None)

    def represent(self, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        schema = self.schemas[kind]
        url = f"/api/v2/{kind}/{obj['id']}/"
        shown: dict[str, Any] = {}
        for name in schema.fields:
            if name == "type":
                shown[name] = schema.type
            elif name == "url":
                shown[name] = url
            elif name == "related":
                shown[name] = self._related(kind, obj, url)
            elif name == "summary_fields":
                shown[name] = self._summary(kind, obj)
            elif name in obj:
                shown[name] = copy.deepcopy(obj[name])
        if kind == "credentials":
            shown["inputs"] = self._masked_inputs(obj)
        return shown

    def _related(self, kind: str, obj: dict[str, Any], url: str) -> dict[str, str]:
        related: dict[str, str] = {}
        template = self.schemas[kind].template
        subs: Iterable[str] = SUBLISTS.get(kind, ())
        if template:
            prefix = f"/api/v2/{kind}/{template['id']}/"
            subs = [k for k, v in template["related"].items() if str(v).startswith(prefix)]
        for sub in subs:
            related[sub] = f"{url}{sub}/"
        if kind in ("job_templates", "workflow_job_templates"):
            related["survey_spec"] = f"{url}survey_spec/"
            related["launch"] = f"{url}launch/"
        for name, target in FOREIGN_KEYS.items():
            if obj.get(name):
                related[name] = f"/api/v2/{target}/{obj[name]}/"
        if kind == "workflow_job_template_nodes" and obj.get("unified_job_template"):
            target_kind, _ = self._unified(obj["unified_job_template"])
            related["unified_job_template"] = (
                f"/api/v2/{target_kind}/{obj['unified_job_template']}/"
            )
        return related

    def _brief(self, kind: str, ident: int) -> dict[str, Any]:
        target = self.objects.get(kind, {}).get(ident, {})
        return {
            "id": ident,
            "name": target.get("name", ""),
            "description": target.get("description", ""),
        }

    def _summary(self, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        summary: dict[str, Any] = {}
        for name, target in FOREIGN_KEYS.items():
            if obj.get(name):
                summary[name] = self._brief(target, obj[name])
        if obj.get("_roles"):
            summary["object_roles"] = {
                role_field: {
                    "description": self.roles[role_id]["description"],
                    "name": self.roles[role_id]["name"],
                    "id": role_id,
                }
                for role_field, role_id in obj["_roles"].items()
            }
        summary["user_capabilities"] = {"edit": True, "delete": True}
        if kind in ("job_templates", "workflow_job_templates"):
            spec = self.survey_specs.get((kind, obj["id"]))
            if spec:
                summary["survey"] = {"title": spec["name"], "description": spec["description"]}
            summary["labels"] = {"count": 0, "results": []}
            summary["recent_jobs"] = []
        if kind == "job_templates":
            summary["credentials"] = [
                {**self._brief("credentials", cid), "kind": None, "cloud": True}
                for cid in self.links.get((kind, obj["id"], "credentials"), [])
            ]
        if kind == "projects" and obj.get("_current_update"):
            update = self.objects["project_updates"][obj["_current_update"]]
            summary["current_update"] = {
                **self._brief("project_updates", update["id"]),
                "status": update["status"],
                "failed": False,
            }
        return summary

    def _masked_inputs(self, credential: dict[str, Any]) -> dict[str, Any]:
        secret = self._secret_inputs(credential.get("credential_type"))
        return {
            key: (ENCRYPTED if key in secret and value not in ("", None) else value)
            for key, value in credential.get("inputs", {}).items()
        }

    def _secret_inputs(self, type_id: int | None) -> set[str]:
        kind = self.objects["credential_types"].get(type_id or -1, {})
        fields = kind.get("inputs", {}).get("fields", [])
        return {f["id"] for f in fields if f.get("secret")}

    def _unified(self, ident: int) -> tuple[str, dict[str, Any]]:
        for kind in UNIFIED_KINDS:
            if ident in self.objects[kind]:
                return kind, self.objects[kind][ident]
        raise Refused(
            400, {"unified_job_template": [f'Invalid pk "{ident}" - object does not exist.']}
        )

    # -- lists -------------------------------------------------------------------------

    def listing(
        self,
        path: str,
        items: list[dict[str, Any]],
        query: dict[str, str],
        filterable: set[str],
        represent: Callable[[dict[str, Any]], dict[str, Any]],
    ) -> dict[str, Any]:
        """A page of `items` after AWX's filters, ordering and paging."""
        chosen = filter_items(self.lookup, items, query, filterable)
        order = query.get("order_by")
        if order:
            key = order.lstrip("-")
            chosen.sort(
                key=lambda o: (o.get(key) is None, o.get(key)), reverse=order.startswith("-")
            )
        else:
            chosen.sort(key=lambda o: o.get("id", 0))
        size = min(int(query.get("page_size", PAGE_SIZE)), MAX_PAGE_SIZE)
        page = int(query.get("page", 1))
        start = (page - 1) * size
        rest = {k: v for k, v in query.items() if k != "page"}

        def link(number: int) -> str:
            from urllib.parse import urlencode

            return f"{path}?{urlencode({**rest, 'page': number})}"

        return {
            "count": len(chosen),
            "next": link(page + 1) if start + size < len(chosen) else None,
            "previous": link(page - 1) if page > 1 else None,
            "results": [represent(o) for o in chosen[start : start + size]],
        }

    # -- writing -----------------------------------------------------------------------

    def create(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        schema = self.schemas[kind]
        self._check_fields(kind, body, creating=True)
        ident = next(self._ids[kind])
        obj: dict[str, Any] = {"id": ident, "created": now(), "modified": now()}
        for name in schema.writable:
            obj[name] = copy.deepcopy(body[name]) if name in body else schema.default(name)
        for name in schema.fields:
            if name not in obj and name not in ("id", "type", "url", "related", "summary_fields"):
                value = (schema.template or {}).get(name)
                obj[name] = copy.deepcopy(COMPUTED.get(kind, {}).get(name, value))
        if kind == "workflow_job_template_nodes" and not body.get("identifier"):
            obj["identifier"] = str(uuid.uuid4())
        self._check_object(kind, obj, None)
        obj["_roles"] = {}
        for role_field, role in (
            (schema.template or {}).get("summary_fields", {}).get("object_roles", {})
        ).items():
            role_id = next(self._role_ids)
            self.roles[role_id] = self._role(kind, ident, role_field, role)
            obj["_roles"][role_field] = role_id
        self._derive(kind, obj, changed=set(body))
        self.objects[kind][ident] = obj
        return obj

    def update(self, kind: str, ident: int, body: dict[str, Any]) -> dict[str, Any]:
        obj = self.get(kind, ident)
        self._check_fields(kind, body, creating=False)
        updated = copy.deepcopy(obj)
        for name, value in body.items():
            if name not in self.schemas[kind].writable:
                continue  # read-only: Django REST framework ignores it
            if kind == "credentials" and name == "inputs":
                # AWX keeps a secret when it is sent back as $encrypted$.
                value = {
                    key: (obj["inputs"].get(key, "") if item == ENCRYPTED else item)
                    for key, item in value.items()
                }
            updated[name] = copy.deepcopy(value)
        self._check_object(kind, updated, obj)
        updated["modified"] = now()
        self._derive(kind, updated, changed={k for k in body if body[k] != obj.get(k)})
        self.objects[kind][ident] = updated
        return updated

    def delete(self, kind: str, ident: int) -> None:
        self.get(kind, ident)
        del self.objects[kind][ident]

    def _check_fields(self, kind: str, body: dict[str, Any], creating: bool) -> None:
        schema = self.schemas[kind]
        errors: dict[str, list[str]] = {}
        for name, spec in schema.writable.items():
            if creating and spec.get("required") and name not in body:
                errors[name] = ["This field is required."]
        for name, value in body.items():
            spec = schema.writable.get(name)
            if spec is None or value is None:
                continue
            problem = _value_problem(self, name, spec, value)
            if problem:
                errors[name] = [problem]
        if errors:
            raise Refused(400, errors)

    def _check_object(self, kind: str, obj: dict[str, Any], before: dict[str, Any] | None) -> None:
        """AWX's own validation of the kinds a configuration writes."""
        if kind == "credentials":
            ctype = self.objects["credential_types"].get(obj.get("credential_type") or -1)
            if ctype is None:
                raise Refused(400, {"credential_type": ["This field is required."]})
            fields = {f["id"] for f in ctype.get("inputs", {}).get("fields", [])}
            unknown = sorted(set(obj.get("inputs") or {}) - fields)
            if unknown:
                raise Refused(
                    400,
                    {
                        "inputs": [
                            f"Additional properties are not allowed ({unknown[0]!r} was unexpected)"
                        ]
                    },
                )
            missing = {
                key: [f"required for {ctype['name']}"]
                for key in ctype.get("inputs", {}).get("required", [])
                if (obj.get("inputs") or {}).get(key) in (None, "")
            }
            if missing:
                raise Refused(400, {"inputs": missing})
        if kind == "credential_types" and obj.get("kind") not in ("cloud", "net"):
            raise Refused(400, {"kind": [f"Must be 'cloud' or 'net', not {obj.get('kind')}"]})
        if kind == "job_templates":
            if not obj.get("inventory") and not obj.get("ask_inventory_on_launch"):
                raise Refused(
                    400,
                    {
                        "inventory": [
                            "Job Template must provide 'inventory' or allow prompting for it."
                        ]
                    },
                )
            if not obj.get("project"):
                raise Refused(400, {"project": ["This field is required."]})
            if obj.get("playbook") not in self.playbooks(obj["project"]):
                raise Refused(400, {"playbook": ["Playbook not found for project."]})
            obj["organization"] = self.objects["projects"][obj["project"]].get("organization")
        if (
            kind == "inventory_sources"
            and obj.get("source") == "scm"
            and not obj.get("source_project")
        ):
            raise Refused(400, {"source_project": ["Project required for scm type sources."]})

    def _derive(self, kind: str, obj: dict[str, Any], changed: set[str]) -> None:
        """What AWX does on its own after a write: a project syncs when its SCM changed."""
        if (
            kind == "projects"
            and obj.get("scm_type")
            and changed & {"scm_type", "scm_url", "scm_branch", "scm_refspec"}
        ):
            update_id = next(self._ids["project_updates"])
            self.objects["project_updates"][update_id] = {
                "id": update_id,
                "name": obj["name"],
                "description": "",
                "status": "successful",
                "failed": False,
                "project": obj["id"],
                "created": now(),
                "modified": now(),
            }
            obj["_current_update"] = update_id

    def playbooks(self, project_id: int) -> list[str]:
        """The playbooks AWX would find in the project (this checkout, for an SCM project)."""
        project = self.objects["projects"].get(project_id, {})
        if not project.get("scm_type"):
            return ["store_create.yml"]  # the recorded manual project's only playbook
        root = self.project_root
        if root is None:
            return []
        return sorted(str(p.relative_to(root)) for p in (root / "playbooks").glob("*.yml"))

    # -- sub-lists ---------------------------------------------------------------------

    def attached(self, kind: str, ident: int, sub: str) -> tuple[str, list[dict[str, Any]]]:
        if kind == "roles":
            role = self.roles.get(ident)
            if role is None:
                raise Refused(404, {"detail": "Not found."})
            target = ATTACHABLE[sub]
            return target, [self.objects[target][i] for i in role[sub]]
        self.get(kind, ident)
        if kind == "workflow_job_templates" and sub == "workflow_nodes":
            nodes = self.objects["workflow_job_template_nodes"].values()
            return "workflow_job_template_nodes", [
                n for n in nodes if n["workflow_job_template"] == ident
            ]
        target = ATTACHABLE.get(sub)
        if target is None:
            raise Refused(404, {"detail": "Not found."})
        ids = self.links.get((kind, ident, sub), [])
        return target, [self.objects.get(target, {})[i] for i in ids]

    def attach(self, kind: str, ident: int, sub: str, body: dict[str, Any]) -> None:
        target = ATTACHABLE.get(sub)
        if target is None or "id" not in body:
            raise Refused(400, {"detail": "Attach or detach with an object id."})
        other = int(body["id"])
        if other not in self.objects.get(target, {}):
            raise Refused(400, {"msg": f"{target} {other} does not exist."})
        if kind == "roles":
            holders = self.roles[ident][sub]
        else:
            self.get(kind, ident)
            holders = self.links.setdefault((kind, ident, sub), [])
        if body.get("disassociate"):
            if other in holders:
                holders.remove(other)
            return
        if kind == "job_templates" and sub == "credentials":
            ctype = self.objects["credential_types"][
                self.objects["credentials"][other]["credential_type"]
            ]
            if ctype["kind"] not in ("ssh", "vault", "cloud", "net", "kubernetes"):
                raise Refused(
                    400, {"error": f"Cannot assign a Credential of kind `{ctype['kind']}`."}
                )
        if other not in holders:
            holders.append(other)

    # -- surveys -----------------------------------------------------------------------

    def survey(self, kind: str, ident: int) -> dict[str, Any]:
        self.get(kind, ident)
        return surveys.display_spec(self.survey_specs.get((kind, ident), {}))

    def set_survey(self, kind: str, ident: int, spec: Any) -> None:
        self.get(kind, ident)
        error = surveys.spec_error(spec)
        if error:
            raise Refused(400, {"error": error})
        self.survey_specs[(kind, ident)] = surveys.normalize_spec(spec)

    def delete_survey(self, kind: str, ident: int) -> None:
        self.get(kind, ident)
        self.survey_specs.pop((kind, ident), None)

    # -- jobs --------------------------------------------------------------------------

    def launch_info(self, ident: int) -> dict[str, Any]:
        template = self.get("job_templates", ident)
        answer = recorded.get("job_templates_7_launch")
        spec = (
            self.survey_specs.get(("job_templates", ident), {})
            if template["survey_enabled"]
            else {}
        )
        needed = [q["variable"] for q in spec.get("spec", []) if q["required"]]
        answer.update(
            survey_enabled=template["survey_enabled"],
            ask_variables_on_launch=template["ask_variables_on_launch"],
            variables_needed_to_start=needed,
            can_start_without_user_input=not needed,
            job_template_data={
                "name": template["name"],
                "id": ident,
                "description": template["description"],
            },
        )
        return answer

    def launch(self, ident: int, body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """The new job, and the prompts AWX ignored."""
        template = self.get("job_templates", ident)
        given = body.get("extra_vars") or {}
        if isinstance(given, str):
            given = json.loads(given) if given.strip() else {}
        spec = (
            self.survey_specs.get(("job_templates", ident)) if template["survey_enabled"] else None
        )
        errors: dict[str, list[str]] = {}
        asked = {q["variable"] for q in (spec or {}).get("spec", [])}
        if spec:
            needed = surveys.answer_errors(spec, given)
            if needed:
                errors["variables_needed_to_start"] = needed
        extra = sorted(set(given) - asked)
        if extra and not template["ask_variables_on_launch"]:
            errors["extra_vars"] = [
                f"Variables {', '.join(extra)} are not allowed on launch. Check the Prompt on "
                "Launch setting on the Job Template to include Extra Variables."
            ]
        if errors:
            raise Refused(400, errors)
        variables = json.loads(template.get("extra_vars") or "{}")
        variables.update(surveys.defaults(spec or {}))
        variables.update(given)
        # A prompt the template does not ask for is ignored, and the job launched anyway
        # (AWX reports it under ignored_fields): a limit without ask_limit_on_launch runs
        # the job on the template's whole inventory.
        limit, ignored = template.get("limit") or "", {}
        if body.get("limit") is not None and body["limit"] != limit:
            if template.get("ask_limit_on_launch"):
                limit = body["limit"]
            else:
                ignored["limit"] = body["limit"]
        return self._start_job(template, variables, limit), ignored

    def _start_job(
        self, template: dict[str, Any], variables: dict[str, Any], limit: str = ""
    ) -> dict[str, Any]:
        model = recorded.get("jobs_2")
        ident = next(self._ids["jobs"])
        job = {k: v for k, v in model.items() if k not in ("related", "summary_fields", "url")}
        job.update(
            id=ident,
            name=template["name"],
            description=template["description"],
            job_template=template["id"],
            unified_job_template=template["id"],
            inventory=template["inventory"],
            project=template["project"],
            playbook=template["playbook"],
            organization=template.get("organization"),
            extra_vars=json.dumps(variables),
            limit=limit,
            status="pending",
            failed=False,
            started=None,
            finished=None,
            elapsed=0.0,
            created=now(),
            modified=now(),
            event_processing_finished=False,
            launch_type="manual",
        )
        events = []
        for event in sorted(
            recorded.get("jobs_2_job_events")["results"], key=lambda e: e["counter"]
        ):
            event = copy.deepcopy(event)
            event["id"] = next(self._event_ids)
            event["job"] = ident
            event["url"] = f"/api/v2/job_events/{event['id']}/"
            event["related"]["job"] = f"/api/v2/jobs/{ident}/"
            event["summary_fields"]["job"].update(
                id=ident, name=template["name"], job_template_id=template["id"]
            )
            events.append(event)
        self.objects["jobs"][ident] = job
        self.jobs[ident] = Job(job, events, model["status"])
        return job

    def represent_job(self, record: dict[str, Any]) -> dict[str, Any]:
        """A job as /jobs/<id>/ shows it, shaped like the recorded job."""
        model = recorded.get("jobs_2")
        url = f"/api/v2/jobs/{record['id']}/"
        related = {
            key: value.replace("/api/v2/jobs/2/", url) for key, value in model["related"].items()
        }
        related["job_template"] = related["unified_job_template"] = (
            f"/api/v2/job_templates/{record['job_template']}/"
        )
        summary = model["summary_fields"]
        template = self._brief("job_templates", record["job_template"])
        summary["job_template"] = template
        summary["unified_job_template"] = {**template, "unified_job_type": "job"}
        return {
            "id": record["id"],
            "type": "job",
            "url": url,
            "related": related,
            "summary_fields": summary,
            **{k: v for k, v in record.items() if k != "id"},
        }

    def job(self, ident: int) -> dict[str, Any]:
        job = self.jobs.get(ident)
        if job is None:
            raise Refused(404, {"detail": "Not found."})
        record = job.record
        if record["status"] == "pending":
            record.update(status="running", started=now())
        elif record["status"] == "running" and job.shown >= len(job.events):
            record.update(
                status=job.final_status,
                failed=job.final_status != "successful",
                finished=now(),
                elapsed=recorded.get("jobs_2")["elapsed"],
                event_processing_finished=True,
            )
        return record

    def job_events(self, ident: int) -> list[dict[str, Any]]:
        job = self.jobs.get(ident)
        if job is None:
            raise Refused(404, {"detail": "Not found."})
        if job.record["status"] in ("pending", "running"):
            job.record["status"] = "running"
            job.shown = min(len(job.events), job.shown + self.events_per_read)
        return job.events[: job.shown]

    def cancel(self, ident: int) -> None:
        job = self.jobs.get(ident)
        if job is None:
            raise Refused(404, {"detail": "Not found."})
        if job.record["status"] in FINISHED:
            raise Refused(405, {"error": "Job cannot be canceled."})
        job.record.update(
            status="canceled",
            canceled_on=now(),
            finished=now(),
            failed=True,
            event_processing_finished=True,
        )


def _value_problem(state: AwxState, name: str, spec: dict[str, Any], value: Any) -> str:
    kind = spec.get("type")
    if kind == "id":
        if isinstance(value, bool) or not isinstance(value, int):
            return f"Incorrect type. Expected pk value, received {type(value).__name__}."
        target = FOREIGN_KEYS.get(name)
        if target and value not in state.objects.get(target, {}):
            return f'Invalid pk "{value}" - object does not exist.'
    elif kind == "boolean" and not isinstance(value, bool):
        return "Must be a valid boolean."
    elif kind == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
        return "A valid integer is required."
    elif kind == "string" and not isinstance(value, str):
        return "Not a valid string."
    elif kind == "choice":
        allowed = [choice[0] for choice in spec.get("choices", [])]
        if allowed and value not in allowed:
            return f'"{value}" is not a valid choice.'
    if kind == "string" and spec.get("max_length") and len(value) > spec["max_length"]:
        return f"Ensure this field has no more than {spec['max_length']} characters."
    return ""
