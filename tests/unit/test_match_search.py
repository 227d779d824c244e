"""`claimtrack match`: which words a search for candidates uses."""

from __future__ import annotations

from dataclasses import dataclass

from claimtrack.track.match import Scorer


@dataclass
class _Searcher:
    num_docs: int
    freq: dict[str, int]

    def doc_freq(self, field: str, term: str) -> int:
        return self.freq[term]


def _searched(num_docs: int, freq: dict[str, int]) -> list[str]:
    scorer = Scorer(_Searcher(num_docs, freq))  # type: ignore[arg-type]
    return [term for _, term in scorer.searched([("t_en", t) for t in sorted(freq)])]


def test_words_in_very_many_claims_are_left_out_of_the_search() -> None:
    common = {"govern": 400_000, "said": 300_000, "report": 200_000}
    rare = {"aws": 900, "mi5": 40, "gchq": 35, "contract": 12_000}
    assert _searched(1_000_000, {**common, **rare}) == ["aws", "contract", "gchq", "mi5"]


def test_the_rarest_common_words_are_kept_when_too_few_would_be_left() -> None:
    freq = {"govern": 400_000, "said": 300_000, "report": 200_000, "data": 150_000, "mi5": 40}
    assert _searched(1_000_000, freq) == ["mi5", "data", "report", "said"]


def test_a_small_dataset_searches_every_word() -> None:
    freq = {"aws": 12, "data": 13, "uk": 11}  # in every claim of 13, yet searched
    assert _searched(13, freq) == ["aws", "data", "uk"]
