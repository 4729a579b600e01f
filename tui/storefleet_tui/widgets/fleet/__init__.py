"""Widgets of the fleet area."""
