"""Command palette (`ctrl+p` or `:`): screens, actions, and every store by name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import Hit, Hits, Provider


class StorefleetCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = self.app
        readonly = getattr(app, "readonly", False)

        def on_stores(action: str) -> Callable[[], object]:
            def run() -> object:
                from storefleet_tui.screens.stores import StoresScreen

                while not isinstance(app.screen, StoresScreen) and len(app.screen_stack) > 1:
                    app.pop_screen()
                return app.screen.run_action(action)

            return run

        found: list[tuple[str, str, Callable[[], object]]] = [
            ("stores", "The fleet", on_stores("clear_filter")),
            ("runs", "Runs of this session and past runs, to replay", on_stores("runs")),
            ("help", "Keys of this screen", partial(app.run_action, "help")),
        ]
        if not readonly:
            found += [
                ("create", "Create a store", on_stores("create")),
                ("platform", "Set up or tear down the platform", on_stores("platform")),
            ]
        for name in sorted(getattr(app, "fleet", {})):
            found.append((f"store {name}", f"Open store {name}", partial(self._open_store, name)))
        return found

    def _open_store(self, name: str) -> None:
        from storefleet_tui.screens.store_detail import StoreDetailScreen

        self.app.push_screen(StoreDetailScreen(name))

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield Hit(1.0, name, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)  # type: ignore[arg-type]
