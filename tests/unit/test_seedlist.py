"""Seeds held as their JSON read back as the same models, in the same order."""

from __future__ import annotations

import pydantic
import pytest

from claimtrack.model.records import SourceDocument
from claimtrack.model.seedlist import SeedList, seed_lines
from claimtrack.store.layout import Dataset
from claimtrack.validate.runner import validate

from ..conftest import REPO


def _seeds() -> list[SourceDocument]:
    """The repository's seed and two copies with other ids, out of id order."""
    (seed,) = validate(Dataset(REPO), records=True).seeds
    return [
        seed.model_copy(update={"id": "zz-last"}),
        seed,
        seed.model_copy(update={"id": "aa-first", "title": "Another\ntitle"}),
    ]


def test_a_seed_list_reads_back_the_models_it_was_made_of() -> None:
    models = _seeds()
    seeds = SeedList.of(models)
    assert len(seeds) == 3
    assert list(seeds) == models
    assert seeds[2] == models[2]
    assert list(seeds[1:]) == models[1:]
    assert seeds.ids == [s.id for s in models]
    assert [s.id for s in seeds.sorted_by_id()] == sorted(s.id for s in models)
    assert seeds == SeedList.of(models)
    assert seeds == models
    assert seeds != models[:2]
    assert seeds != seeds.sorted_by_id()


def test_json_lines_round_trip_and_match_the_models_dump() -> None:
    models = _seeds()
    lines = b"".join(seed_lines(models))
    assert lines.count(b"\n") == 3  # a line break inside a title stays escaped
    assert b"".join(seed_lines(SeedList.of(models))) == lines
    assert list(SeedList.from_lines(lines)) == models


@pytest.mark.parametrize("damage", [b'{"id": "x"}\n', b"not json\n", b"[]\n"])
def test_a_line_that_is_no_seed_is_refused(damage: bytes) -> None:
    lines = b"".join(seed_lines(_seeds())) + damage
    with pytest.raises(pydantic.ValidationError):
        SeedList.from_lines(lines)
