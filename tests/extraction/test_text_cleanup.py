"""Repairs of text read from PDFs."""

from __future__ import annotations

from catalogsvc.extraction.text_cleanup import (
    clean_text,
    compose_spacing_accents,
    join_lines,
    strip_edge_punctuation,
)


def test_spacing_accents_from_latex_are_composed() -> None:
    assert compose_spacing_accents("Dilan G¨or¨ur, Z¨urich, Universit`a") == (
        "Dilan Görür, Zürich, Università"
    )


def test_clean_text_fixes_ligatures_mojibake_and_spaces() -> None:
    assert clean_text("Efﬁcient   caf\u00c3\u00a9 proto\u00adcol") == "Efficient café protocol"


def test_join_lines_glues_words_hyphenated_at_a_line_end() -> None:
    assert join_lines(["evapotran-", "spiration after", "High-", "Dimensional data"]) == (
        "evapotranspiration after High-Dimensional data"
    )


def test_strip_edge_punctuation_removes_trailing_dots_and_footnote_marks() -> None:
    assert strip_edge_punctuation("A free, open, and interactive text.*") == (
        "A free, open, and interactive text"
    )
