"""Storefleet: a terminal UI over the storefleet.platform collection."""

__version__ = "0.1.0"
