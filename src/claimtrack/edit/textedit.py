"""Editing a record file in place: only the lines an edit concerns change.

A claim file is the editor's text: its comments, key order, quoting and line layout are theirs.
So an edit never re-dumps the file. It finds, in the YAML node tree, where a value stands, and
replaces that span of text, or appends an item at the end of a block list, rendered in the
file's own indentation and line ends. Everything else stays byte for byte.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from claimtrack.exc import ConcurrentEdit, InputError
from claimtrack.store.atomic import atomic_write_bytes
from claimtrack.store.files import MAX_RECORD_BYTES, FileTooLarge, read_bounded
from claimtrack.store.pointers import parse_pointer
from claimtrack.store.yaml_read import Document, YamlProblem, load_bytes
from claimtrack.store.yaml_write import flow as flow_yaml
from claimtrack.store.yaml_write import render

__all__ = ["EditableFile", "render"]


@dataclass
class EditableFile:
    """A record file opened for edits: its text, its parsed tree and the digest it was read with."""

    path: Path
    text: str
    digest: str
    doc: Document
    newline: str = "\n"
    _edits: list[tuple[int, int, str]] = field(default_factory=list)
    fresh: bool = False  # a file to create (from a template): it must not exist when written

    @classmethod
    def open(cls, path: Path) -> EditableFile:
        try:
            raw = read_bounded(path, MAX_RECORD_BYTES)
            doc = load_bytes(raw)
        except (OSError, FileTooLarge) as error:
            raise InputError(f"cannot read the file: {error}", path=path) from None
        except YamlProblem as problem:
            raise InputError(
                f"line {problem.line}: {problem.message}",
                path=path,
                hint="run `claimtrack validate` and fix the file first",
            ) from None
        text = raw.decode("utf-8")
        newline = "\r\n" if "\r\n" in text else "\n"
        return cls(path, text, hashlib.sha256(raw).hexdigest(), doc, newline)

    @classmethod
    def new(cls, path: Path, text: str) -> EditableFile:
        """A file that does not exist yet, to be created with ``text`` and any edits."""
        raw = text.encode("utf-8")
        return cls(path, text, "", load_bytes(raw), "\n", fresh=True)

    @property
    def data(self) -> Any:
        return self.doc.data

    def _root(self) -> yaml.MappingNode:
        root = self.doc.node
        if not isinstance(root, yaml.MappingNode):
            raise InputError(
                "the file is not a mapping of fields, so it cannot be edited",
                path=self.path,
                hint="run `claimtrack validate` and fix the file first",
            )
        return root

    def _node(self, ptr: str) -> yaml.Node | None:
        """The node at ``ptr``, or None when the file has no such value."""
        node: yaml.Node = self._root()
        for part in parse_pointer(ptr):
            if isinstance(node, yaml.MappingNode):
                found = next((v for k, v in node.value if k.value == part), None)
            elif isinstance(node, yaml.SequenceNode) and part.isdigit():
                found = node.value[int(part)] if int(part) < len(node.value) else None
            else:
                found = None
            if found is None:
                return None
            node = found
        return node

    def set_scalar(self, ptr: str, value: Any) -> None:
        """Replace the scalar at ``ptr`` with ``value``; a top-level key the file does not have
        yet is added at its end."""
        node = self._node(ptr)
        flow = flow_yaml(value)
        new = flow.removesuffix("\n...\n").removesuffix("\n")
        parts = parse_pointer(ptr)
        if node is None and len(parts) == 1:
            self._insert(len(self.text), render({parts[0]: value}))
            return
        if not isinstance(node, yaml.ScalarNode):
            raise InputError(
                f"`{ptr}` is not a single value in this file, so it cannot be set",
                path=self.path,
                hint=f"write `{ptr}` as one value, then run the command again",
            )
        start, end = node.start_mark.index, node.end_mark.index
        if node.style in ("|", ">"):  # a block scalar's span ends after its line breaks: keep them
            end = max(start + 1, self._line_end(end))
        self._edits.append((start, end, new))

    def set_raw(self, key: str, text: str) -> None:
        """Replace the value of the top-level ``key`` with ``text``, a value already written as
        one line of YAML (e.g. JSON), after the key's colon; a key the file does not have yet is
        added at its end."""
        pair = next(((k, v) for k, v in self._root().value if k.value == key), None)
        if pair is None:
            self._insert(len(self.text), f"{key}: {text}\n")
            return
        name, value = pair
        colon = self.text.index(":", name.end_mark.index)
        end = value.end_mark.index
        if not isinstance(value, yaml.ScalarNode) or value.style in ("|", ">"):
            end = self._line_end(end)
        self._edits.append((colon + 1, end, " " + text))

    def _line_end(self, index: int) -> int:
        """``index`` moved back to just after the last non-blank character before it."""
        while index > 0 and self.text[index - 1] in " \t\r\n":
            index -= 1
        return index

    def append(self, key: str, item: Any, *, after: tuple[str, ...] = ()) -> None:
        """Append ``item`` to the top-level block list ``key``; when the file has no such key,
        add it after the last of ``after`` that the file has (else at the end)."""
        root = self._root()
        found = next((v for k, v in root.value if k.value == key), None)
        if isinstance(found, yaml.SequenceNode) and found.flow_style is False and found.value:
            indent = " " * found.start_mark.column
            lines = render([item]).splitlines(keepends=True)
            self._insert(found.end_mark.index, "".join(indent + line for line in lines))
            return
        if found is not None:
            raise InputError(
                f"`{key}` is not a block list in this file, so it cannot be appended to",
                path=self.path,
                hint=f"write `{key}` as a block list (`- ` items), then run the command again",
            )
        anchor = [v for k, v in root.value if k.value in after]
        at = anchor[-1].end_mark.index if anchor else len(self.text)
        if anchor and self.text[at - 1 : at] != "\n":
            at = self.text.find("\n", at - 1) + 1 or len(self.text)
        self._insert(at, render({key: [item]}))

    def _insert(self, index: int, text: str) -> None:
        if index > 0 and self.text[index - 1] not in "\r\n":
            text = "\n" + text
        self._edits.append((index, index, text))

    def result(self) -> str:
        """The text with every edit applied, in the file's line ends."""
        text = self.text
        for start, end, new in sorted(self._edits, reverse=True):
            lines = new.replace("\r\n", "\n").replace("\n", self.newline)
            text = text[:start] + lines + text[end:]
        return text

    def write(self, text: str) -> None:
        """Write ``text`` atomically, refusing if the file changed since it was read (or, for a
        new file, if one appeared meanwhile)."""
        if self.fresh:
            if self.path.exists() or self.path.is_symlink():
                raise ConcurrentEdit(
                    "the file appeared since this command started; nothing was written",
                    path=self.path,
                    hint="look at it, then run the command again",
                )
            atomic_write_bytes(self.path, text.encode("utf-8"))
            return
        try:
            now = hashlib.sha256(self.path.read_bytes()).hexdigest()
        except OSError as error:
            raise InputError(
                f"cannot read the file again: {error.strerror}", path=self.path
            ) from None
        if now != self.digest:
            raise ConcurrentEdit(
                "the file changed since this command read it; nothing was written",
                path=self.path,
                hint="look at the change, then run the command again",
            )
        atomic_write_bytes(self.path, text.encode("utf-8"))
