"""Play -> task -> host tree of a run, updated in place; failures listed first."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from storefleet_tui.core.events import Failure, Outcome, RunModel
from storefleet_tui.widgets.run.labels import host_label, mark, task_label

# Up to this many tasks every play stays open.
FOLD_AFTER_TASKS = 200


class RunTree(Tree[str]):
    """Keeps a node per play, task and host so an update touches only what changed."""

    def __init__(self) -> None:
        super().__init__("run")
        self.show_root = False
        self.guide_depth = 3
        self._failures_node: TreeNode[str] | None = None
        self._failures_shown: list[Failure] = []
        self._plays: dict[str, TreeNode[str]] = {}
        self._tasks: dict[str, TreeNode[str]] = {}
        self._hosts: dict[tuple[str, str], TreeNode[str]] = {}

    def get_label_width(self, node: TreeNode[str]) -> int:
        """The width render_label gives, worked out without rendering: the tree measures
        all its lines each time a node is added or relabelled (15-30 ms at 2,000 lines
        when each label is rendered to be measured)."""
        icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
        label = node.label
        width = label.cell_len if isinstance(label, Text) else cell_len(label)
        return width + (cell_len(icon) if node.allow_expand else 0)

    @property
    def task_count(self) -> int:
        """How many tasks the tree shows (it may trail the model by a few frames)."""
        return len(self._tasks)

    def update_tasks(self, model: RunModel, ordered: Sequence[str]) -> None:
        """Add or relabel the tasks `ordered` names (in start order), with their hosts."""
        plays: set[str] = set()
        for uuid in ordered:
            task = model.tasks[uuid]
            play_node = self._play_node(model, task.play_uuid)
            node = self._tasks.get(uuid)
            if node is None:
                node = play_node.add(task_label(task), data=uuid, expand=task.outcome.is_failure)
                self._tasks[uuid] = node
            else:
                node.set_label(task_label(task))
            for name, host in task.hosts.items():
                key = (uuid, name)
                leaf = self._hosts.get(key)
                if leaf is None:
                    leaf = node.add(host_label(host), data=uuid, allow_expand=bool(host.items))
                    self._hosts[key] = leaf
                    for item in host.items:
                        leaf.add_leaf(
                            Text.assemble(mark(item.outcome), f" {item.label} {item.message}")
                        )
                else:
                    leaf.set_label(host_label(host))
                    if len(leaf.children) != len(host.items):
                        for item in host.items[len(leaf.children) :]:
                            leaf.add_leaf(
                                Text.assemble(mark(item.outcome), f" {item.label} {item.message}")
                            )
                if host.outcome.is_failure:
                    node.expand()
            plays.add(task.play_uuid)
        for play_uuid in plays:
            self._plays[play_uuid].set_label(self._play_label(model, play_uuid))

    def _play_label(self, model: RunModel, uuid: str) -> Text:
        play = model.plays[uuid]
        return Text.assemble(
            mark(play.outcome),
            " ",
            ("PLAY ", "dim"),
            (play.name, "bold"),
            (f"  {len(play.tasks)} tasks", "dim"),
        )

    def _play_node(self, model: RunModel, uuid: str) -> TreeNode[str]:
        node = self._plays.get(uuid)
        if node is None:
            # In a long run a new play folds the plays before it that went well: the
            # tree's lines (rebuilt on each change) stay as many as the play at hand.
            if len(self._tasks) > FOLD_AFTER_TASKS:
                for earlier_uuid, earlier in self._plays.items():
                    if earlier.is_expanded and not model.plays[earlier_uuid].outcome.is_failure:
                        earlier.collapse()
            node = self.root.add(self._play_label(model, uuid), data=uuid, expand=True)
            self._plays[uuid] = node
        return node

    def update_failures(self, model: RunModel) -> None:
        """Keep the failures node (first child of the root) equal to the model's."""
        failures = model.failures()
        if failures == self._failures_shown:
            return
        self._failures_shown = failures
        if self._failures_node is None:
            # The root's first child: failures stay on top whatever runs after them.
            self._failures_node = self.root.add("failures", expand=True, before=0)
        node = self._failures_node
        node.remove_children()
        node.set_label(
            Text.assemble(mark(Outcome.FAILED), (f" FAILED  {len(failures)}", "bold red"))
        )
        for failure in failures:
            node.add_leaf(
                Text.assemble(
                    (failure.task, "bold"),
                    (f"  {failure.host}", "dim"),
                    "  ",
                    (
                        failure.message.splitlines()[0][:200]
                        if failure.message
                        else "(no message)",
                        "red",
                    ),
                ),
                data=failure.task_uuid,
            )
