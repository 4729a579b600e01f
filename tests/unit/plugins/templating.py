"""Filters and lookups as a play runs them: real templating, names resolved by the
collection loader (tests/unit/conftest.py)."""

from __future__ import annotations

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template


def render(expression: str, **variables: object) -> object:
    """`{{ expression }}` rendered over `variables` alone."""
    templar = Templar(loader=DataLoader(), variables=variables)
    return templar.template(trust_as_template("{{ " + expression + " }}"))
