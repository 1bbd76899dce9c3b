"""What a correction of a paper may say: every field optional, null clears it."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from catalogsvc.domain import PaperType
from catalogsvc.extraction.identifiers import normalize_doi
from catalogsvc.extraction.text_cleanup import CONTROL_CHARACTERS, one_line


def _clean(value: str) -> str:
    """Text as extraction stores it: no control characters (PostgreSQL refuses NUL, exports
    break on the others), whitespace collapsed; blank is no value."""
    cleaned = one_line(value)
    if not cleaned:
        raise ValueError("must not be blank")
    return cleaned


Clean = AfterValidator(_clean)
ShortText = Annotated[str, Field(min_length=1, max_length=1000), Clean]


def _doi(value: str | None) -> str | None:
    if value is None:
        return None
    if CONTROL_CHARACTERS.search(value):
        raise ValueError("a DOI holds no control characters (a new line, a tab…)")
    doi = normalize_doi(value)
    if doi is None:
        raise ValueError("not a DOI: a DOI reads 10.<registrant>/<suffix>, e.g. 10.1000/xyz123")
    return doi


class PaperCorrection(BaseModel):
    """The fields to correct; each one given is stored with the source `user`, and kept
    over what a resume, a reclassify or an enrichment would set."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"venue": "Journal of Computational Physics", "year": 1986}]
        },
    )

    title: ShortText | None = None
    authors: list[Annotated[str, Field(min_length=1, max_length=300), Clean]] | None = Field(
        default=None, max_length=500
    )
    year: int | None = Field(default=None, ge=1000, le=2100)
    doi: Annotated[str | None, AfterValidator(_doi)] = Field(default=None, max_length=300)
    venue: ShortText | None = None
    volume: Annotated[str, Field(min_length=1, max_length=50), Clean] | None = None
    issue: Annotated[str, Field(min_length=1, max_length=50), Clean] | None = None
    page_range: Annotated[str, Field(min_length=1, max_length=50), Clean] | None = None
    publisher: ShortText | None = None
    issn: Annotated[str, Field(pattern=r"^\d{4}-\d{3}[\dXx]$")] | None = None
    type: PaperType | None = Field(
        default=None, description="It decides each export's entry type (@article, @inproceedings…)."
    )
    abstract: Annotated[str, Field(min_length=1, max_length=20000), Clean] | None = None
    category: Annotated[str, Field(min_length=1, max_length=200), Clean] | None = None

    def changes(self) -> dict[str, Any]:
        """Only the fields the request names; a null clears the field (authors: none)."""
        changes = {name: getattr(self, name) for name in self.model_fields_set}
        if "authors" in changes and changes["authors"] is None:
            changes["authors"] = []
        return changes
