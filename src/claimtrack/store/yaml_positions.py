"""Where a JSON pointer stands in a parsed YAML file: line and column, for findings and edits."""

from __future__ import annotations

import yaml

from claimtrack.store.pointers import parse_pointer


def _walk(root: yaml.Node, ptr: str) -> tuple[yaml.Node, bool]:
    """The node at a JSON pointer, or its deepest existing parent (and False)."""
    node = root
    for part in parse_pointer(ptr):
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
        elif (
            isinstance(node, yaml.SequenceNode)
            and part.isascii()
            and part.isdigit()
            and int(part) < len(node.value)
        ):
            child = node.value[int(part)]
        if child is None:
            return node, False
        node = child
    return node, True


def mark(node: yaml.Node) -> tuple[int, int]:
    """A node's line and column, 1-based."""
    return node.start_mark.line + 1, node.start_mark.column + 1


def locate(root: yaml.Node, ptr: str) -> tuple[int, int]:
    """1-based (line, column) of the node at a JSON pointer, or of its deepest existing parent."""
    return mark(_walk(root, ptr)[0])


def locate_key(root: yaml.Node, ptr: str, key: str) -> tuple[int, int]:
    """1-based (line, column) of a key inside the mapping at a JSON pointer."""
    node, _ = _walk(root, ptr)
    if isinstance(node, yaml.MappingNode):
        for k, _v in node.value:
            if k.value == key:
                return mark(k)
    return mark(node)


def scalar_at(root: yaml.Node, ptr: str) -> yaml.ScalarNode | None:
    """The scalar node at a pointer, to explain YAML 1.1 surprises (`no`, `0755`, `12:30`)."""
    node, found = _walk(root, ptr)
    return node if found and isinstance(node, yaml.ScalarNode) else None
