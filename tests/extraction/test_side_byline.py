"""Author grids set in columns beside the abstract, on PDFs laid out line by line."""

from __future__ import annotations

from pathlib import Path

from catalogsvc.extraction.extract import extract_paper
from tests.pdf_factory import Placed, make_layout_pdf, paragraph

ABSTRACT = (
    "To acknowledge information received by a mobile device, a number of feedback modalities "
    "are available for which human information processing is still not completely understood."
)


def _author_card(name: str, *, x: float, y: float) -> list[Placed]:
    lines = [name, "Quality and Usability Lab", "TU Berlin", "10587 Berlin, Germany"]
    return [Placed(x, y + i * 12, text, 8.5, bold=i == 0) for i, text in enumerate(lines)]


def test_author_grid_left_of_the_abstract_is_read_column_by_column(tmp_path: Path) -> None:
    page = [
        Placed(300, 130, "Did You Notice? Neuronal Processing of Feedback", 20, True),
        Placed(420, 200, "Abstract", 9.5, True),
        *paragraph(ABSTRACT, x=420, y=214, width=40, size=8.5),
        *_author_card("Jan-Niklas Antons", x=190, y=200),
        *_author_card("Sebastian Arndt", x=190, y=270),
        *_author_card("Julia Seebode", x=190, y=340),
        *_author_card("Robert Schleicher", x=300, y=200),
        *_author_card("Sebastian Möller", x=300, y=270),
    ]

    paper = extract_paper(str(make_layout_pdf(tmp_path / "chi.pdf", [page])))

    assert paper.authors == [
        "Jan-Niklas Antons",
        "Sebastian Arndt",
        "Julia Seebode",
        "Robert Schleicher",
        "Sebastian Möller",
    ]
    assert paper.abstract == ABSTRACT


def test_centred_abstract_heading_over_full_width_text_leaves_the_byline_alone(
    tmp_path: Path,
) -> None:
    page = [
        Placed(72, 90, "Reproducibility of Poincaré Dodecahedral Space Parameters", 17, True),
        Placed(72, 130, "Boudewijn F. Roukema", 9),
        Placed(20, 200, "Edited by", 8),
        Placed(20, 212, "Pierre de Buyl", 8),
        Placed(280, 200, "Abstract", 9, True),
        *paragraph(ABSTRACT, x=72, y=216, width=90, size=9),
    ]

    paper = extract_paper(str(make_layout_pdf(tmp_path / "centred.pdf", [page])))

    assert paper.authors == ["Boudewijn F. Roukema"]
