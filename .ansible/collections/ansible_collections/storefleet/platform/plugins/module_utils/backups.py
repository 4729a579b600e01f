# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""A store's list of backups: the records the store role keeps in ConfigMap store-backups.

A backup is named ``<yyyymmdd>-<hhmmss>-<reason>`` (UTC), so sorting by name sorts by
age; the chart's schema and the backend image's backup command hold names to the same
pattern. A record: name, created, reason, revision and backendImage (the Helm revision
and image the data belongs to), takenWith (the image that took it and can restore it),
bytes and sha256 (None where no container ran to tell).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

BACKUP_NAME_PATTERN = r"^[0-9]{8}-[0-9]{6}-[a-z]+(-[a-z]+)*$"


class BackupError(ValueError):
    """A list of backups or a record that is not what the store role writes."""


def _checked(backups):
    if not isinstance(backups, list):
        raise BackupError("the backups must be a list of records, not %r" % (backups,))
    for record in backups:
        if not isinstance(record, dict) or not re.fullmatch(
            BACKUP_NAME_PATTERN, str(record.get("name"))
        ):
            raise BackupError("not a backup record: %r" % (record,))
    return sorted(backups, key=lambda record: record["name"])


def add_backup(backups, record, keep, prune=True):
    """`backups` with `record` added (replacing one of the same name), oldest first;
    with `prune`, only the newest `keep` remain, as the backup Job keeps on its volume."""
    added = [old for old in _checked(backups) if old["name"] != record.get("name")]
    added = _checked([*added, record])
    if prune:
        if int(keep) < 1:
            raise BackupError("keep must be at least 1, not %r" % (keep,))
        added = added[-int(keep) :]
    return added


def backup_of_revision(backups, revision):
    """The last backup taken while Helm revision `revision` ran, or None: the data a
    rollback to that revision restores (the backup before the upgrade that left it)."""
    found = [
        record for record in _checked(backups) if int(record.get("revision", 0)) == int(revision)
    ]
    return found[-1] if found else None


def backup_lines(backups):
    """One line per backup for an operator: name, reason, revision, image, size."""
    lines = []
    for record in _checked(backups):
        size = record.get("bytes")
        lines.append(
            "%-30s %-12s rev %-4s %s  %s"
            % (
                record["name"],
                record.get("reason", "?"),
                record.get("revision", "?"),
                record.get("backendImage", "?"),
                "%.1f MiB" % (size / 2**20) if isinstance(size, int) else "size unknown",
            )
        )
    return lines
