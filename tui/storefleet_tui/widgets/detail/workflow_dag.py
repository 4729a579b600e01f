"""The Argo Workflow that provisioned a store, as a tree of its DAG nodes."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from storefleet_tui.core.stores import WorkflowNode

NODE_STYLES = {
    "Succeeded": "green",
    "Running": "yellow",
    "Pending": "dim",
    "Failed": "red",
    "Error": "red",
    "Skipped": "cyan",
    "Omitted": "cyan",
}


class WorkflowDag(Tree[str]):
    def show(self, workflow: str, nodes: tuple[WorkflowNode, ...]) -> None:
        self.clear()
        self.root.set_label(Text(f"workflow {workflow}", style="bold"))
        by_id = {node.node_id: node for node in nodes}
        children = {child for node in nodes for child in node.children}
        roots = [node for node in nodes if node.node_id not in children] or list(nodes)
        seen: set[str] = set()

        def add(parent: TreeNode[str], node: WorkflowNode) -> None:
            if node.node_id in seen:  # a DAG joins: show a node once
                return
            seen.add(node.node_id)
            label = Text.assemble(
                (node.phase or "?", NODE_STYLES.get(node.phase, "")), " ", node.name
            )
            if node.message:
                label.append(f"  {node.message}", style="dim")
            branch = parent.add(label, expand=True)
            for child in node.children:
                if child in by_id:
                    add(branch, by_id[child])

        for root in roots:
            add(self.root, root)
        self.root.expand_all()
