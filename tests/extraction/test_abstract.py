"""Where the abstract starts and ends, on PDFs laid out line by line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalogsvc.extraction.abstract import is_keyword_block, is_reference_list
from catalogsvc.extraction.extract import extract_paper
from tests.conftest import SHARED_DIR
from tests.pdf_factory import Placed, make_layout_pdf, paragraph

TITLE = Placed(72, 90, "Fluctuation Domains in Adaptive Evolution", 18, True)
AUTHOR = Placed(72, 120, "Carl Boettiger", 11)
ABSTRACT = (
    "We reproduce a stochastic simulation of evolutionary dynamics from ten years ago and find "
    "that the original code still runs after small changes to its configuration files."
)
MORE = (
    "Finally we compare the run times of both versions and show that the new one is faster by "
    "a factor of three on the same machine."
)
NOTE = (
    "A replication of A. Author and B. Author, Fluctuation domains in adaptive evolution, "
    "Theoretical Population Biology 77.1 (2010), pages 6 to 13."
)
BODY = (
    "In this analysis I seek to reproduce the numerical results of the paper, which focuses on "
    "the evolutionary trajectory of species traits under selection and much more besides."
)


def _abstract_of(tmp_path: Path, pages: list[list[Placed]]) -> str | None:
    return extract_paper(str(make_layout_pdf(tmp_path / "paper.pdf", pages))).abstract


def test_abstract_stops_at_a_spaced_out_paragraph_after_it(tmp_path: Path) -> None:
    page = [
        TITLE,
        AUTHOR,
        Placed(72, 160, "Abstract", 11, True),
        *paragraph(ABSTRACT, x=72, y=176, width=80),
        *paragraph(NOTE, x=72, y=220, width=80),
        *paragraph(BODY, x=72, y=320, width=80),
    ]

    assert _abstract_of(tmp_path, [page]) == ABSTRACT


def test_abstract_keeps_an_indented_second_paragraph_set_without_space(tmp_path: Path) -> None:
    first = paragraph(ABSTRACT, x=72, y=176, width=80)
    second = paragraph(MORE, x=72, y=176 + 12 * len(first), width=80)
    second[0] = second[0]._replace(x=82)
    page = [TITLE, AUTHOR, Placed(72, 160, "Abstract", 11, True), *first, *second]

    assert _abstract_of(tmp_path, [page]) == f"{ABSTRACT} {MORE}"


def test_abstract_ends_at_the_keywords_line(tmp_path: Path) -> None:
    abstract = paragraph(ABSTRACT, x=72, y=176, width=80)
    page = [
        TITLE,
        AUTHOR,
        Placed(72, 160, "Abstract", 11, True),
        *abstract,
        Placed(72, 176 + 12 * len(abstract), "Keywords: evolution, simulation, reproduction"),
    ]

    assert _abstract_of(tmp_path, [page]) == ABSTRACT


@pytest.mark.parametrize(
    "printed",
    [
        f"(Domínios de flutuação na evolução adaptativa de Senna Mill. (Fabaceae)). {ABSTRACT}",
        f"{ABSTRACT} The work addresses the following topics:",
    ],
    ids=["a bracketed title in a second language before it", "a closing sentence opening a list"],
)
def test_what_frames_the_abstract_is_not_part_of_it(tmp_path: Path, printed: str) -> None:
    page = [
        TITLE,
        AUTHOR,
        Placed(72, 160, "Abstract", 11, True),
        *paragraph(printed, x=72, y=176, width=80),
    ]

    assert _abstract_of(tmp_path, [page]) == ABSTRACT


def test_lead_paragraph_above_the_body_is_the_abstract_whatever_the_reading_order(
    tmp_path: Path,
) -> None:
    lead = "Following a career in science involves long hours and hard work, but it pays off."
    page = [
        *paragraph(BODY + " " + MORE, x=72, y=260, width=80),
        TITLE,
        *paragraph(lead, x=72, y=130, width=70, size=12),
    ]

    assert _abstract_of(tmp_path, [page]) == lead


def test_of_two_abstracts_the_one_in_the_title_language_wins(tmp_path: Path) -> None:
    english = (
        "The objective of this work was to evaluate the chemical profile and the antioxidant "
        "activity of ethanol extracts from leaves of five species of Senna."
    )
    portuguese = (
        "O objetivo deste trabalho foi avaliar o perfil químico e a atividade antioxidante dos "
        "extratos etanólicos das folhas de cinco espécies de Senna."
    )
    english_lines = paragraph("ABSTRACT - " + english, x=72, y=176, width=80)
    page = [
        Placed(72, 90, "Perfil químico e atividade antioxidante de espécies de Senna", 16, True),
        Placed(72, 120, "Andréa Maria Neves, Selene Maia de Morais", 11),
        *english_lines,
        *paragraph("RESUMO - " + portuguese, x=72, y=200 + 12 * len(english_lines), width=80),
    ]

    assert _abstract_of(tmp_path, [page]) == portuguese


def test_preprint_abstract_after_two_title_pages_skips_line_numbers(tmp_path: Path) -> None:
    cover = [
        Placed(90, 90, "Onset Age of Breast Cancer and Incident Heart Failure", 12, True),
        Placed(90, 130, "Jie Liang, Yang Pan, Wenya Zhang", 12),
        Placed(90, 170, "Affiliations", 12, True),
        Placed(90, 200, "School of Nursing, Peking Union Medical College, Beijing", 12),
    ]
    contacts = [Placed(90, 90, "Telephone: +86-10-88771099", 12)]
    lines = paragraph(ABSTRACT, x=90, y=112, width=70, size=12)
    numbered = [Placed(90, 90, "Abstract", 12, True), Placed(60, 90, "27", 10.5)]
    for number, line in enumerate(lines, start=28):
        numbered += [line, Placed(60, line.y, str(number), 10.5)]

    assert _abstract_of(tmp_path, [cover, contacts, numbered]) == ABSTRACT


def test_scanned_line_read_in_another_size_mid_sentence_stays_in_the_abstract(
    tmp_path: Path,
) -> None:
    page = [
        TITLE,
        AUTHOR,
        Placed(72, 160, "Abstract", 11, True),
        Placed(
            72, 176, "We compare the most powerful statistical models set by the Committee", 13.5
        ),
        Placed(72, 192, "on Cancer (Burke, Cancer", 13.5),
        Placed(72, 207, "1993;72:3131-5) in terms of their accuracy in predicting survival.", 12),
    ]

    assert _abstract_of(tmp_path, [page]) == (
        "We compare the most powerful statistical models set by the Committee on Cancer "
        "(Burke, Cancer 1993;72:3131-5) in terms of their accuracy in predicting survival."
    )


REFERENCES_ON_PAGE_ONE = (
    "\u2192Shimer, R., and Smith, L. (2000). Assortative matching and search. Econometrica, "
    "68(2), 343-369. http://doi.org/10.1111/1468-0262.00112 \u2192Smith, L. (2006). The Marriage "
    "Model with Search Frictions. J. Political Econ., 114(6), 1124-1144."
)


@pytest.mark.parametrize(
    "text",
    [
        REFERENCES_ON_PAGE_ONE,
        "-> K. Heo et al. \u201cEffective Program Debloating via Reinforcement Learning.\u201d In: "
        "Proceedings of the 2018 ACM SIGSAC Conference. Toronto: ACM, 2018, pp. 380-394.",
        "Smith, J. (2001). A. Journal, 1(2), 3. Doe, J. (2002). B. Journal, 4(5), 6. "
        "Roe, R. (2003). C. Journal, 7(8), 9.",
    ],
)
def test_references_quoted_on_the_first_page_are_no_abstract(text: str) -> None:
    assert is_reference_list(text)


def test_a_keyword_block_is_no_abstract() -> None:
    assert is_keyword_block("graph algorithm; cache optimisation; node ordering; gorder; C++")
    assert not is_keyword_block("We order nodes of a graph so that caches, cores and disks work.")


def test_no_abstract_of_the_labelled_arxiv_set_is_taken_for_references_or_keywords() -> None:
    labelled = SHARED_DIR / "labelled" / "arxiv.jsonl"
    if not labelled.is_file():
        pytest.skip(f"the labelled arXiv set is not at {labelled}")
    abstracts = [json.loads(line)["abstract"] for line in labelled.read_text().splitlines()]

    flagged = [a for a in abstracts if is_reference_list(a) or is_keyword_block(a)]

    assert len(abstracts) > 19_000
    assert flagged == []
