# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""Run a module inside the task's worker process instead of a process of its own.

A store playbook runs twenty-odd API modules against `localhost`. Started the usual way,
each is a new Python process that imports the Kubernetes client (over a second of CPU
per task: most of a store_create). The actions built on InProcessModules import the
module's code in the controller (the strategy loads an action plugin before it forks the
task's worker, so the worker inherits the imports) and call the module's own main() in
the worker: the same AnsibleModule, argument spec, check mode and result.

This collection's modules have such actions, and so do `storefleet.platform.k8s` and
`storefleet.platform.k8s_info`: kubernetes.core's k8s and k8s_info (meta/runtime.yml
redirects the names; the options, documentation and action are kubernetes.core's).
Only where the module would run on this machine as this user with this Python: any other
host, connection, become, async or interpreter takes Ansible's usual path.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import sys
import traceback
import typing as t

import ansible.module_utils.basic as module_basic
from ansible.module_utils.common.json import Direction, get_module_encoder
from ansible.plugins.action import ActionBase
from ansible.vars.clean import remove_internal_keys

# Imported here, in the controller, so that every worker starts with the Kubernetes
# client loaded: that import is most of what a module process costs.
from ansible_collections.storefleet.platform.plugins.module_utils import (  # noqa: F401
    k8s_client,
)

# The serialization profile of modules that declare none (these collections' modules).
MODULE_PROFILE = "legacy"
# Collections whose modules are run in the worker: this one, and kubernetes.core's
# under this collection's names (meta/runtime.yml).
IN_PROCESS_COLLECTIONS = ("storefleet.platform", "kubernetes.core")


@contextlib.contextmanager
def _environment(values: dict[str, t.Any]) -> t.Iterator[None]:
    """os.environ with the task's `environment:` applied, as the module process would see it."""
    saved = dict(os.environ)
    os.environ.update({key: str(value) for key, value in values.items()})
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _module_arguments(arguments: dict[str, t.Any]) -> t.Iterator[None]:
    """Hand `arguments` to the AnsibleModule the module builds, the way AnsiballZ does
    (ansible-core's own module tests use the same two globals)."""
    encoder = get_module_encoder(MODULE_PROFILE, Direction.CONTROLLER_TO_MODULE)
    encoded = json.dumps({"ANSIBLE_MODULE_ARGS": arguments}, cls=encoder).encode()
    saved = (module_basic._ANSIBLE_ARGS, module_basic._ANSIBLE_PROFILE)
    module_basic._ANSIBLE_ARGS, module_basic._ANSIBLE_PROFILE = encoded, MODULE_PROFILE
    try:
        yield
    finally:
        module_basic._ANSIBLE_ARGS, module_basic._ANSIBLE_PROFILE = saved


class InProcessModules:
    """Mixed into an action plugin before ActionBase: its _execute_module runs a module of
    IN_PROCESS_COLLECTIONS in the worker when the module would run on this machine as this
    user with this Python; anything else goes Ansible's usual way."""

    def _execute_module(
        self,
        module_name: str | None = None,
        module_args: dict[str, t.Any] | None = None,
        task_vars: dict[str, t.Any] | None = None,
        **kwargs: t.Any,
    ) -> dict[str, t.Any]:
        task_vars = task_vars if task_vars is not None else {}
        resolved = self._resolved_module(module_name)
        if resolved is None or kwargs.get("wrap_async") or not self._runs_here(task_vars):
            return super()._execute_module(  # type: ignore[misc]
                module_name=module_name, module_args=module_args, task_vars=task_vars, **kwargs
            )
        arguments = dict(self._task.args if module_args is None else module_args)
        return self._run_in_process(resolved, arguments, task_vars)

    def _resolved_module(self, module_name: str | None) -> str | None:
        """The module's FQCN, redirects followed, when it is one to run in process."""
        found = self._shared_loader_obj.module_loader.find_plugin_with_context(
            module_name or self._task.action, collection_list=self._task.collections
        )
        if not found.resolved:
            return None
        collection, _, _name = found.resolved_fqcn.rpartition(".")
        return found.resolved_fqcn if collection in IN_PROCESS_COLLECTIONS else None

    def _runs_here(self, task_vars: dict[str, t.Any]) -> bool:
        if self._connection.transport != "local" or self._play_context.become:
            return False
        if self._task.async_val:
            return False
        interpreter = task_vars.get("ansible_python_interpreter")
        if interpreter is not None:
            interpreter = self._templar.template(interpreter)
            return os.path.abspath(str(interpreter)) == os.path.abspath(sys.executable)
        return True

    def _run_in_process(
        self, module_name: str, arguments: dict[str, t.Any], task_vars: dict[str, t.Any]
    ) -> dict[str, t.Any]:
        self._update_module_args(module_name, arguments, task_vars)
        environment: dict[str, t.Any] = {}
        self._compute_environment_string(environment)
        namespace, _, name = module_name.rpartition(".")
        module = importlib.import_module(
            "ansible_collections.%s.plugins.modules.%s" % (namespace, name)
        )
        stdout, stderr = io.StringIO(), io.StringIO()
        rc = 0
        with (
            _environment(environment),
            _module_arguments(arguments),
            contextlib.redirect_stdout(stdout),
            contextlib.redirect_stderr(stderr),
        ):
            try:
                module.main()
            except SystemExit as exit_:
                rc = exit_.code if isinstance(exit_.code, int) else 1
            except Exception as error:  # what a crashed module process reports
                return {
                    "failed": True,
                    "msg": "MODULE FAILURE: %s: %s" % (type(error).__name__, error),
                    "exception": traceback.format_exc(),
                }
        data = self._parse_returned_data(
            {"rc": rc, "stdout": stdout.getvalue(), "stderr": stderr.getvalue()}, MODULE_PROFILE
        )
        remove_internal_keys(data)
        return data


class InProcessModuleAction(InProcessModules, ActionBase):
    """The action of a module without an action plugin of its own: the collection's
    modules, and kubernetes.core.helm_template."""

    _requires_connection = True

    def run(self, tmp: t.Any = None, task_vars: dict[str, t.Any] | None = None) -> dict[str, t.Any]:
        result = super().run(tmp, task_vars)
        result.update(self._execute_module(task_vars=task_vars or {}))
        return result
