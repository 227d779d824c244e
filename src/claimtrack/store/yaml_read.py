"""Strict, safe YAML reading with positions.

Files are read as bytes, decoded as UTF-8 and composed into a node tree with PyYAML's libyaml
``CSafeLoader`` (the pure-Python ``SafeLoader`` when libyaml is missing). The tree is checked
before anything is built from it: no aliases or anchors, only the plain JSON-like tags, no
duplicate or non-string keys, bounded nesting. Only then are Python values constructed, with
timestamps kept as the text written (so ``2021-10-27`` and ``"2021-10-27"`` read the same).

Every problem is a :class:`YamlProblem` with a 1-based line and column.

Most files have no problem and need no positions: :func:`load_bytes` first builds the values
straight from libyaml's events (no node tree, no second pass), and leaves the node tree to be
composed only when a finding needs a position. Anything that pass does not read exactly as the
full parse does (an anchor, a tag, a duplicate key, a syntax error...) sends the file to the full
parse, which gives the values or the problem: both paths give the same data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from claimtrack.model.rulebook import Scope, declare
from claimtrack.store.yaml_positions import locate, mark

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 1 << 20
MAX_DEPTH = 32
MAX_FLOW_BRACKETS = 2000
_CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = frozenset(
    _CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)


# the rules checked here (docs/rules.md)
declare("file.empty", "The file holds no YAML document (empty, or comments only).", Scope.FILE)
declare("file.binary", "The file contains NUL bytes: it is binary, not text.", Scope.FILE)
declare(
    "file.encoding",
    "The file is not UTF-8 (invalid bytes, UTF-16, or a byte order mark).",
    Scope.FILE,
)
declare("yaml.syntax", "The text is not valid YAML.", Scope.FILE)
declare(
    "yaml.multiple-documents",
    "The file holds more than one YAML document (`---`).",
    Scope.FILE,
)
declare(
    "yaml.duplicate-key",
    "A mapping has the same key twice; YAML loaders silently keep one.",
    Scope.FILE,
)
declare(
    "yaml.alias",
    "Anchors and aliases are refused (they allow billion-laughs expansion).",
    Scope.FILE,
)
declare(
    "yaml.tag",
    "An explicit YAML tag such as `!!python/object` is refused: no code from data.",
    Scope.FILE,
)
declare("yaml.key-type", "A mapping key is not a plain string.", Scope.FILE)
declare(
    "yaml.too-deep",
    "Nesting deeper than 32 levels, or more than 2000 flow brackets.",
    Scope.FILE,
)
declare(
    "yaml.value",
    "A scalar that cannot be read (e.g. an integer with thousands of digits).",
    Scope.FILE,
)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]  # libyaml's class is dynamic
    """Safe loader that keeps timestamps as the text written."""


_Loader.add_constructor(_CORE + "timestamp", lambda loader, node: node.value)


@dataclass(frozen=True)
class YamlProblem(Exception):
    """A file that cannot be read as a claimtrack YAML document."""

    rule: str
    message: str
    hint: str
    line: int = 1
    column: int = 1


@dataclass
class Document:
    """A parsed YAML document: its data, and its node tree for locating fields (composed from
    ``text`` when first asked for, unless the parse made it)."""

    data: Any
    text: str
    composed: yaml.Node | None = field(default=None, repr=False)

    @property
    def node(self) -> yaml.Node:
        if self.composed is None:
            self.composed = parse(self.text).node
        return self.composed

    def locate(self, ptr: str) -> tuple[int, int]:
        return locate(self.node, ptr)


def decode(raw: bytes) -> str:
    """Decode a claim file's bytes as UTF-8, or raise a YamlProblem that says why not."""
    if len(raw) > MAX_BYTES:
        raise YamlProblem(
            "file.too-large",
            f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}",
            "a claim or seed metadata file is a few KB: split it, or check it is the right file",
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlProblem(
            "file.encoding", "file is UTF-16, not UTF-8", "re-save the file as UTF-8", 1, 1
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raise YamlProblem(
            "file.encoding",
            "file starts with a UTF-8 byte order mark",
            "re-save the file as UTF-8 without BOM",
            1,
            1,
        )
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, column = _line_col(raw, nul)
        raise YamlProblem(
            "file.binary",
            "file contains a NUL byte: it is binary, not YAML text",
            "make sure this is a claim file; binary files do not belong in claims/",
            line,
            column,
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _line_col(raw, exc.start)
        raise YamlProblem(
            "file.encoding",
            f"byte 0x{raw[exc.start]:02x} at offset {exc.start} is not valid UTF-8",
            "re-save the file as UTF-8",
            line,
            column,
        ) from None


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    column = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def parse(text: str) -> Document:
    """Parse one YAML document strictly; raise YamlProblem on anything unsafe or ambiguous."""
    if text.count("[") + text.count("{") > MAX_FLOW_BRACKETS:
        raise YamlProblem(
            "yaml.too-deep",
            f"file has more than {MAX_FLOW_BRACKETS} flow brackets `[`/`{{`",
            "write lists and mappings in block style, one item per line",
        )
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlProblem(
                "file.empty", "file is empty", "write a claim; see claims/ for examples", 1, 1
            )
        _check_tree(node)
        try:
            data = loader.construct_document(node)
        except _UNREADABLE as exc:
            raise _unreadable(loader, node, exc) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if "expected a single document" in str(exc.context):
            raise YamlProblem(
                "yaml.multiple-documents",
                "file holds more than one YAML document",
                "keep one claim per file: remove the `---` separator and what follows",
                mark.line + 1 if mark else 1,
                mark.column + 1 if mark else 1,
            ) from None
        raise YamlProblem(
            "yaml.syntax",
            f"YAML syntax error: {problem}" + (f" ({exc.context})" if exc.context else ""),
            "fix the YAML syntax at this position (indentation, a missing `:` or quote)",
            mark.line + 1 if mark else 1,
            mark.column + 1 if mark else 1,
        ) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise YamlProblem(
            "yaml.syntax",
            f"character U+{_code(exc.character):04X} is not allowed in YAML",
            "remove the control character, or write it as an escape inside double quotes",
            line,
            column,
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem("yaml.syntax", f"YAML error: {exc}", "fix the YAML syntax") from None
    finally:
        loader.dispose()
    return Document(data, text, node)


# What PyYAML's constructors raise on a value they cannot read (`!!bool x`: KeyError, `!!int`
# on an empty value: IndexError, a float's text too long: ValueError...).
_UNREADABLE = (ValueError, RecursionError, LookupError, TypeError, OverflowError)


def _unreadable(loader: Any, root: yaml.Node, error: BaseException) -> YamlProblem:
    """The problem of a document whose values cannot all be built: at the first scalar that
    cannot be, when one can be found."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack += [item for pair in reversed(node.value) for item in reversed(pair)]
        elif isinstance(node, yaml.SequenceNode):
            stack += reversed(node.value)
        else:
            loader.constructed_objects, loader.recursive_objects = {}, {}  # after the failure
            try:
                loader.construct_object(node, deep=True)
            except (yaml.YAMLError, *_UNREADABLE):
                shown = node.tag.replace(_CORE, "!!")
                return _problem(
                    node,
                    "yaml.value",
                    f"the value `{node.value[:60]}` cannot be read as {shown}"
                    if node.value
                    else f"an empty value cannot be read as {shown}",
                    "write the value as its type reads it, or as a quoted string without the tag",
                )
    return YamlProblem(
        "yaml.value",
        f"a value cannot be read: {str(error)[:120]}",
        "write the value as a quoted string, or shorten it",
    )


def _code(character: str | int) -> int:
    return ord(character) if isinstance(character, str) else character


def _problem(node: yaml.Node, rule: str, message: str, hint: str) -> YamlProblem:
    return YamlProblem(rule, message, hint, *mark(node))


def _check_tree(root: yaml.Node) -> None:
    """Reject aliases, custom tags, duplicate and non-string keys and deep nesting (iteratively)."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise _problem(
                node,
                "yaml.alias",
                "anchors and aliases (`&name`, `*name`) are not allowed",
                "write the value out in full where it is used",
            )
        seen.add(id(node))
        if node.tag not in ALLOWED_TAGS:
            raise _problem(
                node,
                "yaml.tag",
                f"YAML tag `{node.tag.replace(_CORE, '!!')}` is not allowed",
                "remove the tag: claim files hold only plain strings, numbers, lists and mappings",
            )
        if node.tag in (_CORE + "int", _CORE + "float") and len(node.value) > 64:
            raise _problem(
                node,
                "yaml.value",
                f"a number with {len(node.value)} characters cannot be read safely",
                "quote it if it is an identifier; amounts have at most 38 digits",
            )
        if depth > MAX_DEPTH:
            raise _problem(
                node,
                "yaml.too-deep",
                f"nesting is deeper than {MAX_DEPTH} levels",
                "claims nest only a few levels: check the indentation",
            )
        if isinstance(node, yaml.MappingNode):
            keys: dict[str, yaml.Node] = {}
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.tag != _CORE + "str":
                    raise _problem(
                        key,
                        "yaml.key-type",
                        "mapping keys must be plain strings",
                        "quote the key, or use a field name from the schema",
                    )
                if key.value in keys:
                    first = keys[key.value].start_mark.line + 1
                    raise _problem(
                        key,
                        "yaml.duplicate-key",
                        f"key `{key.value}` appears twice in this mapping (first at line {first})",
                        "keep one of the two entries",
                    )
                keys[key.value] = key
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)


def load_bytes(raw: bytes) -> Document:
    """Decode and parse a file's bytes: the values first, the node tree when asked for."""
    text = decode(raw)
    if text.count("[") + text.count("{") <= MAX_FLOW_BRACKETS:
        try:
            return Document(_values(text), text)
        except _NotPlain:
            pass
    return parse(text)


class _NotPlain(Exception):
    """The document needs the full parse: it may have a problem, or be read otherwise."""


_STR = _CORE + "str"
_KEPT_AS_TEXT = frozenset((_STR, _CORE + "timestamp"))
_NUMBERS = {_CORE + "int": "construct_yaml_int", _CORE + "float": "construct_yaml_float"}
_BOOLS: dict[str, bool] = _Loader.bool_values
_NO_KEY = object()
_PLAIN_TAGS: dict[str, str] = {}  # plain scalars repeat (keys, vocabulary): their tags, kept
_MAX_PLAIN_TAGS = 20_000


def _values(text: str) -> Any:
    """The document's values built from the parser's events, as the full parse would build them;
    raises _NotPlain for anything that parse could read otherwise or refuse."""
    if _Loader.yaml_path_resolvers:  # tags that depend on a node's path: the composer's to find
        raise _NotPlain
    loader = _Loader(text)
    try:
        get = loader.get_event
        if type(get()) is not StreamStartEvent or type(get()) is not DocumentStartEvent:
            raise _NotPlain  # no document
        root = _build(loader, get)
        if type(get()) is not StreamEndEvent:
            raise _NotPlain  # another document follows
        return root
    except (yaml.YAMLError, *_UNREADABLE):
        raise _NotPlain from None
    finally:
        loader.dispose()


def _build(loader: Any, get: Any) -> Any:  # noqa: PLR0912 - one loop over every event: calls per event would cost more than the parse
    """The values of one document's events, up to its end."""
    open_: list[Any] = []  # the mappings and sequences being filled, outermost first
    keys: list[Any] = []  # for each: the key waiting for its value (or _NO_KEY)
    while True:
        event = get()
        kind = type(event)
        tag = _STR
        if kind is ScalarEvent:
            if event.anchor is not None or event.tag is not None or len(open_) >= MAX_DEPTH:
                raise _NotPlain  # anchors, tags and deep nesting are the full parse's to check
            value = event.value
            if event.implicit[0]:  # plain: typed by its text, as the resolver types it
                tag = _PLAIN_TAGS.get(value) or _plain_tag(value)
                if tag not in _KEPT_AS_TEXT:
                    value = _typed(loader, tag, value)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None or len(open_) >= MAX_DEPTH:
                raise _NotPlain
            open_.append({} if kind is MappingStartEvent else [])
            keys.append(_NO_KEY)
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            value = open_.pop()
            keys.pop()
            tag = ""
        else:
            raise _NotPlain  # an alias (or a document without a node)
        if not open_:  # the document's root: its end follows
            if type(get()) is not DocumentEndEvent:
                raise _NotPlain
            return value
        parent = open_[-1]
        if type(parent) is list:
            parent.append(value)
        elif keys[-1] is not _NO_KEY:
            parent[keys[-1]] = value
            keys[-1] = _NO_KEY
        elif tag == _STR and kind is ScalarEvent and value not in parent:
            keys[-1] = value
        else:
            raise _NotPlain  # a key that is not a string, or a duplicate key


def _plain_tag(value: str) -> str:
    """The tag of a plain scalar: the first implicit resolver whose pattern matches it."""
    table: dict[str | None, list[tuple[str, Any]]] = _Loader.yaml_implicit_resolvers
    resolvers = [*table.get(value[:1], ()), *table.get(None, ())]
    tag = next((tag for tag, pattern in resolvers if pattern.match(value)), _STR)
    if len(_PLAIN_TAGS) < _MAX_PLAIN_TAGS and len(value) <= 64:
        _PLAIN_TAGS[value] = tag
    return tag


def _typed(loader: Any, tag: str, value: str) -> Any:
    """A plain scalar's value other than text, as the constructor builds it."""
    if tag == _CORE + "null":
        return None
    if tag == _CORE + "bool":
        return _BOOLS[value.lower()]
    if tag in _NUMBERS and len(value) <= 64:
        return getattr(loader, _NUMBERS[tag])(yaml.ScalarNode(tag, value))
    raise _NotPlain
