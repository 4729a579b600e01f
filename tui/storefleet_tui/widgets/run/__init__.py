"""Widgets of the run area."""
