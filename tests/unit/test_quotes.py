"""Quote matching: tolerant of whitespace and quote marks only, offsets in code points."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.model.text import QUOTE_MARKS, normalise
from claimtrack.validate.quotes import check_quote, occurrences, occurs

TEXT = "Il a dit : « Les données\nresteront au   Royaume-Uni ». Puis il est parti. Les données"


def _check(quote: str, start: int, end: int) -> tuple[bool, bool, int, int]:
    result = check_quote(TEXT, quote, start, end)
    return result.found, result.offsets_ok, result.start, result.end


def test_exact_offsets_are_accepted() -> None:
    start = TEXT.index("Puis")
    assert _check("Puis il est parti.", start, start + 18) == (True, True, start, start + 18)


def test_whitespace_and_quote_marks_may_differ() -> None:
    start = TEXT.index("« Les")
    end = TEXT.index("»") + 1
    assert _check('" Les données resteront au Royaume-Uni "', start, end)[:2] == (True, True)


def test_wrong_offsets_give_the_true_ones() -> None:
    start = TEXT.index("Puis")
    assert _check("Puis il est parti.", 0, 5) == (True, False, start, start + 18)


def test_a_quote_repeated_takes_the_occurrence_nearest_the_offsets() -> None:
    last = TEXT.rindex("Les données")
    found = _check("Les données", last - 2, last + 9)
    assert found == (True, False, last, last + len("Les données"))


def test_a_changed_word_is_not_found() -> None:
    assert _check("Puis il est revenu.", 0, 5)[:2] == (False, False)
    result = check_quote(TEXT, "Puis il est revenu.", 0, 5)
    assert result.matched_prefix == len("Puis il est ")


def test_letters_are_never_folded() -> None:
    # accents and case are part of a verbatim quote
    assert _check("Puis il est parti.".upper(), 0, 5)[0] is False
    assert normalise("donnees") != normalise("données")


def test_offsets_are_those_of_the_original_text() -> None:
    text = "a  \n « b »  c"
    assert occurrences(text, 'a " b " c') == [(0, len(text))]
    assert occurrences(text, "b") == [(7, 8)]


def test_regex_characters_in_a_quote_are_literal() -> None:
    text = "cost (est.) $5+ [a|b] *x*?"
    assert occurrences(text, "(est.) $5+ [a|b] *x*?") == [(5, len(text))]
    assert occurrences(text, "est..") == []


def test_a_large_seed_with_wrong_offsets_needs_no_copy() -> None:
    import tracemalloc  # noqa: PLC0415

    text = "mot " * 2_000_000 + "la phrase cherchée" + " fin" * 1000
    tracemalloc.start()
    result = check_quote(text, "la  phrase cherchée", 0, 5)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.found and not result.offsets_ok
    assert text[result.start : result.end] == "la phrase cherchée"
    assert peak < len(text) // 4  # no normalised copy of an 8 MB seed


@pytest.mark.parametrize(
    "quote",
    [
        "Puis il est parti.",  # as written
        "  Puis il est parti.\n",  # as written, with space around it
        "Les données resteront au Royaume-Uni",  # other whitespace
        "« Les données\nresteront",  # as written, across a line break
        '" Les données',  # another quote mark
        "Puis il est parti!",  # not in the text
        "puis il est parti.",  # case is part of a quote
        "",
        " \n ",
        "\u00a0",
    ],
)
def test_occurs_agrees_with_the_occurrences(quote: str) -> None:
    assert occurs(TEXT, quote) == bool(occurrences(TEXT, quote))


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            [
                *QUOTE_MARKS,
                " ",
                "\t",
                "\n",
                "\x85",
                "\u00a0",
                "\u2028",
                "\u3000",
                "\u200b",
                "a",
                "é",
                "«",
                "-",
            ]
        )
    )
)
def test_normalise_folds_whitespace_runs_and_quote_marks_only(text: str) -> None:
    reference = re.sub(r"\s+", " ", text.translate(dict.fromkeys(map(ord, QUOTE_MARKS), '"')))
    assert normalise(text) == reference.strip()
