"""How outcomes, durations and counts read in the run tree."""

from __future__ import annotations

from rich.text import Text

from storefleet_tui.core.events import Counts, HostResult, Outcome, TaskNode

OUTCOME_MARKS = {
    Outcome.RUNNING: ("…", "yellow"),
    Outcome.SKIPPED: ("↷", "cyan"),
    Outcome.OK: ("✔", "green"),
    Outcome.CHANGED: ("✚", "yellow"),
    Outcome.IGNORED: ("⚠", "magenta"),
    Outcome.RETRYING: ("↻", "yellow"),
    Outcome.UNREACHABLE: ("✘", "red"),
    Outcome.FAILED: ("✘", "bold red"),
}


def seconds(value: float | None) -> str:
    if value is None:
        return ""
    if value < 60:
        return f"{value:.1f}s"
    return f"{int(value // 60)}m{int(value % 60):02d}s"


def mark(outcome: Outcome) -> Text:
    symbol, style = OUTCOME_MARKS[outcome]
    return Text(symbol, style=style)


def task_label(task: TaskNode) -> Text:
    label = Text.assemble(mark(task.outcome), " ", task.name or task.action)
    tallies: dict[str, int] = {}
    for host in task.hosts.values():
        tallies[host.outcome.value] = tallies.get(host.outcome.value, 0) + 1
    if tallies:
        label.append("  " + " ".join(f"{k} {v}" for k, v in sorted(tallies.items())), style="dim")
    if task.duration is not None:
        label.append(f"  {seconds(task.duration)}", style="dim")
    return label


def host_label(host: HostResult) -> Text:
    label = Text.assemble(mark(host.outcome), " ", (host.host, "bold"))
    if host.items:
        failed = sum(1 for i in host.items if i.outcome is Outcome.FAILED)
        label.append(
            f"  {len(host.items)} items" + (f", {failed} failed" if failed else ""), style="dim"
        )
    if host.retries:
        label.append(f"  {host.retries} retries", style="yellow")
    if host.duration is not None:
        label.append(f"  {seconds(host.duration)}", style="dim")
    if host.message and host.outcome is not Outcome.OK:
        label.append(
            f"  {host.message.splitlines()[0][:160]}",
            style="red" if host.outcome.is_failure else "",
        )
    return label


def counts_text(counts: Counts) -> Text:
    text = Text()
    for name, style in (
        ("ok", "green"),
        ("changed", "yellow"),
        ("failed", "red"),
        ("unreachable", "red"),
        ("skipped", "cyan"),
        ("ignored", "magenta"),
        ("retries", "yellow"),
    ):
        text.append(f"{name} ", style="dim")
        text.append(f"{getattr(counts, name)}  ", style=style)
    return text
