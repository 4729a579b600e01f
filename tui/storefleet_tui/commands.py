"""Command palette (`ctrl+p` or `:`): screens, actions, and every store by name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import Hit, Hits, Provider

if TYPE_CHECKING:
    from storefleet_tui.screens.stores import StoresScreen

Command = tuple[str, str, Callable[[], object]]


class StorefleetCommands(Provider):
    def _stores_screen(self) -> StoresScreen | None:
        # The app imports this module: the screens come in late.
        from storefleet_tui.screens.stores import StoresScreen

        return next((s for s in self.app.screen_stack if isinstance(s, StoresScreen)), None)

    def _commands(self) -> list[Command]:
        stores = self._stores_screen()
        if stores is None:
            return [("help", "Keys of this screen", partial(self.app.run_action, "help"))]

        def on_stores(action: str) -> Callable[[], object]:
            def run() -> object:
                app = stores.app
                while app.screen is not stores and len(app.screen_stack) > 1:
                    app.pop_screen()
                return stores.run_action(action)

            return run

        found: list[Command] = [
            ("stores", "The fleet", on_stores("clear_filter")),
            ("runs", "Runs of this session and past runs, to replay", on_stores("runs")),
            ("help", "Keys of this screen", partial(stores.app.run_action, "help")),
        ]
        for name, help_text, action in (
            ("create", "Create a store", "create"),
            ("platform", "Set up or tear down the platform", "platform"),
        ):
            # The stores screen's own guard decides (readonly mode turns these off).
            if stores.check_action(action, ()):
                found.append((name, help_text, on_stores(action)))
        for name in sorted(stores.app.fleet):
            found.append((f"store {name}", f"Open store {name}", partial(stores.open_store, name)))
        return found

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield Hit(1.0, name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
