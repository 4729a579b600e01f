# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""cluster_preflight_problems: what keeps the controller's tools from making a cluster.

The documentation is in cluster_preflight_problems.yml next to this file.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible.errors import AnsibleFilterError
from ansible.module_utils.compat.version import LooseVersion

HINTS = ("docker_missing", "docker_unreachable", "missing", "old")


def _setting(settings, tool, what):
    try:
        return settings[tool]
    except (KeyError, TypeError):
        raise AnsibleFilterError(
            "cluster_preflight_problems: no %s for %s" % (what, tool)
        ) from None


def _version(stdout, pattern):
    """The first group of `pattern` in the tool's answer, '' when it is not there."""
    found = re.search(pattern, stdout)
    return (found.group(1) or "") if found else ""


def cluster_preflight_problems(results, min_versions, probes, hints):
    """One line per tool that is missing, unusable or older than its minimum."""
    absent = [name for name in HINTS if name not in hints]
    if absent:
        raise AnsibleFilterError("cluster_preflight_problems: no hint %s" % ", ".join(absent))
    problems = []
    for probe in results:
        tool = probe["item"]
        minimum = str(_setting(min_versions, tool, "minimum version"))
        pattern = _setting(probes, tool, "probe")["pattern"]
        # A command that could not run has no rc in its result; count it as not found.
        failed = probe.get("rc", 2) != 0
        stdout = probe.get("stdout") or ""
        version = _version(stdout, pattern)
        # `docker info` prints the client's part even when the engine is down: a failure
        # with output means the engine, not the client, is missing.
        if failed and tool == "docker" and stdout == "":
            problems.append("docker: " + hints["docker_missing"])
        elif failed and tool == "docker":
            problems.append("docker: " + hints["docker_unreachable"])
        elif failed or not version:
            problems.append("%s >= %s %s" % (tool, minimum, hints["missing"]))
        elif LooseVersion(version) < LooseVersion(minimum):
            problems.append("%s %s (need >= %s) %s" % (tool, version, minimum, hints["old"]))
    return problems


class FilterModule:
    """storefleet.platform cluster filters."""

    def filters(self):
        return {"cluster_preflight_problems": cluster_preflight_problems}
