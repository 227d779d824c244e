"""Many valid seeds held as their JSON, each made a model when it is read.

A seed's model takes ~3.3 KB (its fields' dict, nested models, strings); its JSON ~600 bytes. A
dataset of 100,000 seeds kept as models held 320 MiB through a release; as a `SeedList`, 60 MiB,
at the cost of validating a seed's JSON again each time it is read (~30 µs).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from claimtrack.model.records import SourceDocument


class SeedList(Sequence[SourceDocument]):
    """Seeds as a sequence of models, stored as (id, JSON) pairs."""

    __slots__ = ("_ids", "_items")

    def __init__(self, ids: list[str], items: list[bytes]) -> None:
        self._ids, self._items = ids, items

    @classmethod
    def of(cls, seeds: Iterable[SourceDocument]) -> SeedList:
        pairs = [(s.id, s.model_dump_json().encode("utf-8")) for s in seeds]
        return cls([i for i, _ in pairs], [j for _, j in pairs])

    @classmethod
    def from_lines(cls, raw: bytes) -> SeedList:
        """Seeds from JSON Lines (as :meth:`lines` writes), each validated as it is read, one
        model at a time; a ValueError (pydantic's ValidationError is one) if any is not a seed."""
        ids, items = [], []
        for line in raw.split(b"\n"):
            if line.strip():
                ids.append(SourceDocument.model_validate_json(line).id)
                items.append(line)
        return cls(ids, items)

    def lines(self) -> Iterator[bytes]:
        """The seeds as JSON Lines, a line at a time."""
        return (item + b"\n" for item in self._items)

    @property
    def ids(self) -> list[str]:
        return list(self._ids)

    def sorted_by_id(self) -> SeedList:
        order = sorted(range(len(self._ids)), key=self._ids.__getitem__)
        return SeedList([self._ids[i] for i in order], [self._items[i] for i in order])

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> SourceDocument: ...
    @overload
    def __getitem__(self, index: slice) -> SeedList: ...
    def __getitem__(self, index: int | slice) -> SourceDocument | SeedList:
        if isinstance(index, slice):
            return SeedList(self._ids[index], self._items[index])
        return SourceDocument.model_validate_json(self._items[index])

    def __iter__(self) -> Iterator[SourceDocument]:
        for item in self._items:
            yield SourceDocument.model_validate_json(item)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SeedList):
            return self._items == other._items
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # a mutable-looking sequence, as a list

    def __repr__(self) -> str:
        return f"SeedList({len(self)} seeds)"


def seed_lines(seeds: Sequence[SourceDocument]) -> Iterator[bytes]:
    """Seeds as JSON Lines, a line at a time (one model dumped at a time, or a SeedList's
    stored JSON)."""
    if isinstance(seeds, SeedList):
        return seeds.lines()
    return (s.model_dump_json().encode("utf-8") + b"\n" for s in seeds)
