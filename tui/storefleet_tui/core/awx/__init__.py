"""AWX as a backend: its API client, its job events as runner events, survey answers.

Nothing here imports Textual: the TUI, a script or a test drives it the same way.
"""
