"""The part of Storefleet that works without a terminal: settings, runner, cluster.

Nothing in this package imports Textual (an import-linter contract checks it), so the
runner bridge and the cluster reader can be tested and reused on their own.
"""
