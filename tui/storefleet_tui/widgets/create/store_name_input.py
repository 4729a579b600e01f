"""The store name field: checked on every keystroke with the collection's own rules."""

from __future__ import annotations

from collections.abc import Callable, Collection

from textual.validation import ValidationResult, Validator
from textual.widgets import Input


class StoreNameRules(Validator):
    """Wraps `naming.py`'s check, and refuses names the fleet already has."""

    def __init__(self, check: Callable[[str], str], taken: Callable[[], Collection[str]]) -> None:
        super().__init__()
        self.check = check
        self.taken = taken

    def validate(self, value: str) -> ValidationResult:
        problem = self.check(value)
        if problem:
            return self.failure(problem)
        if value in self.taken():
            return self.failure(f"a store named {value!r} already exists")
        return self.success()


class StoreNameInput(Input):
    def __init__(self, rules: StoreNameRules, id: str | None = None) -> None:
        super().__init__(
            placeholder="e.g. demo",
            validators=[rules],
            validate_on=["changed", "submitted"],
            valid_empty=False,
            id=id,
        )
