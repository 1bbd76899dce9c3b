"""Splitting header rows into author names."""

from __future__ import annotations

from catalogsvc.extraction.authors import find_authors, names_from_metadata
from catalogsvc.extraction.pdf_layout import Row, Span, TextLine


def _line(
    parts: list[tuple[str, float]], *, y: float, x: float = 72.0, bold: bool = False
) -> TextLine:
    main = max(size for _, size in parts)
    spans = tuple(
        Span(text, size, bold, x, x + 100, superscript=size < main * 0.8) for text, size in parts
    )
    return TextLine(
        spans=spans,
        size=main,
        bold=bold,
        x0=x,
        y0=y,
        x1=x + 300,
        y1=y + main,
        page=0,
        block=0,
        rotated=False,
        text="".join(s.text for s in spans),
        main_text="".join(s.text for s in spans if not s.superscript),
    )


def test_superscripts_and_and_separate_names_and_affiliations_are_skipped() -> None:
    rows = [
        Row.of([_line([("Jie Liang", 11), ("1", 7), (", Wuxiang Xie", 11), ("2,3", 7)], y=100)]),
        Row.of([_line([("and Fanfan Zheng", 11), ("1*", 7)], y=114)]),
        Row.of([_line([("1", 7), ("School of Nursing, Peking University, China", 9)], y=130)]),
    ]

    scan = find_authors(rows, top=90, bottom=200)

    assert scan.names == ["Jie Liang", "Wuxiang Xie", "Fanfan Zheng"]


def test_a_name_broken_over_two_lines_is_joined() -> None:
    rows = [
        Row.of([_line([("Ana Lima", 11), ("1", 7), (", Yongqian", 11)], y=100)]),
        Row.of([_line([("Wang", 11), ("2", 7)], y=114)]),
    ]

    assert find_authors(rows, top=90, bottom=200).names == ["Ana Lima", "Yongqian Wang"]


def test_family_first_names_with_markers_are_turned_around() -> None:
    rows = [
        Row.of([_line([("Di Cosmo, Roberto", 9), ("1", 6), (" and Danelutto, Marco", 9)], y=100)])
    ]

    assert find_authors(rows, top=90, bottom=200).names == ["Roberto Di Cosmo", "Marco Danelutto"]


def test_upper_case_names_are_title_cased_and_degrees_dropped() -> None:
    rows = [Row.of([_line([("KIRK E. JORDAN, PhD", 10)], y=100)])]

    assert find_authors(rows, top=90, bottom=200).names == ["Kirk E. Jordan"]


def test_metadata_authors_are_used_only_when_they_look_like_names() -> None:
    assert names_from_metadata("Georgiana Dinu ; Marco Baroni") == [
        "Georgiana Dinu",
        "Marco Baroni",
    ]
    assert names_from_metadata("antons.jan-niklas") == []
    assert names_from_metadata("IEEE") == []
