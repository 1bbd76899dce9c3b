"""What every catalog format shows: the header, the category groups and the links."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from catalogsvc.domain import Paper
from catalogsvc.taxonomies import NOT_CLASSIFIED, UNCATEGORIZED

PARTIAL_NOTICE = "Partial catalog: the job ended before it had read and classified every file."

_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class CatalogHeader:
    """What a catalog says about itself before listing papers."""

    job_id: str
    title: str
    partial: bool


@dataclass(frozen=True, slots=True)
class CategoryGroup:
    """The papers of one category, in catalog order."""

    name: str
    papers: tuple[Paper, ...]


def contents_line(groups: Sequence[CategoryGroup]) -> str:
    """ "12 papers in 1 category": what a catalog holds, counted in words that agree."""
    papers = sum(len(group.papers) for group in groups)
    paper_word = "paper" if papers == 1 else "papers"
    category_word = "category" if len(groups) == 1 else "categories"
    return f"{papers} {paper_word} in {len(groups)} {category_word}"


def display_title(paper: Paper) -> str:
    """The paper's title, or its file name when extraction found no title."""
    return collapse_whitespace(paper.title or "") or paper.file_name


def collapse_whitespace(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def group_by_category(papers: Sequence[Paper]) -> list[CategoryGroup]:
    """Groups sorted by name, papers within a group by title (then id, so ties are stable);
    papers not classified yet last."""
    by_category: defaultdict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        by_category[category_group(paper)].append(paper)
    return [
        CategoryGroup(
            name=name,
            papers=tuple(
                sorted(by_category[name], key=lambda p: (display_title(p).casefold(), p.id))
            ),
        )
        for name in sorted(
            by_category, key=lambda name: (name == NOT_CLASSIFIED, name.casefold(), name)
        )
    ]


def category_group(paper: Paper) -> str:
    """The name of the catalog group the paper is listed in: one a user cleared is
    Uncategorized, one no classifier reached is not classified yet."""
    if paper.category:
        return paper.category
    return UNCATEGORIZED if paper.category_set_by_user else NOT_CLASSIFIED


def doi_url(doi: str) -> str:
    # Percent-encoding keeps parentheses, spaces and quotes of odd DOIs out of link syntax.
    return "https://doi.org/" + quote(doi.strip(), safe="/")


def arxiv_url(arxiv_id: str) -> str:
    return "https://arxiv.org/abs/" + quote(arxiv_id.strip(), safe="/")
