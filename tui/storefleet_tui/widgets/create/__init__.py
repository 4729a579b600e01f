"""Widgets of the create area."""
