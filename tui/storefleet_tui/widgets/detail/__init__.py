"""Widgets of the detail area."""
