"""Domain values shared by the pipeline, the store, the API and the catalogs."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel, Field


class JobStatus(StrEnum):
    queued = "queued"
    running = "running"
    completed = "completed"
    failed = "failed"
    cancelled = "cancelled"
    interrupted = "interrupted"

    @property
    def is_terminal(self) -> bool:
        return self not in (JobStatus.queued, JobStatus.running)


ACTIVE_STATUSES = (JobStatus.queued, JobStatus.running)
RESUMABLE_STATUSES = (JobStatus.cancelled, JobStatus.failed, JobStatus.interrupted)


class JobKind(StrEnum):
    process = "process"
    reclassify = "reclassify"


class JobPhase(StrEnum):
    queued = "queued"
    extracting = "extracting"
    classifying = "classifying"
    cataloging = "cataloging"
    done = "done"


class FileState(StrEnum):
    pending = "pending"
    done = "done"
    failed = "failed"
    skipped = "skipped"


class ExtractionMethod(StrEnum):
    text = "text"
    vision = "vision"
    llm = "llm"


class PaperType(StrEnum):
    """What kind of publication a paper is; it decides the entry type of each export."""

    article = "article"
    proceedings_paper = "proceedings-paper"
    preprint = "preprint"
    report = "report"
    thesis = "thesis"


class FieldSource(StrEnum):
    """Where a paper's field came from."""

    pdf = "pdf"
    metadata = "metadata"
    crossref = "crossref"
    openalex = "openalex"
    llm = "llm"
    user = "user"


@dataclass(frozen=True, slots=True)
class ExtractedPaper:
    """What extraction reads from one PDF; picklable, so it crosses the worker pool."""

    sha256: str
    pages: int
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    doi: str | None = None
    arxiv_id: str | None = None
    abstract: str | None = None
    venue: str | None = None
    volume: str | None = None
    issue: str | None = None
    page_range: str | None = None
    publisher: str | None = None
    issn: str | None = None
    type: PaperType | None = None
    method: ExtractionMethod = ExtractionMethod.text
    warnings: list[str] = field(default_factory=list)
    sources: dict[str, FieldSource] = field(default_factory=dict)


class Category(BaseModel):
    """One category of a taxonomy."""

    name: str = Field(min_length=1, max_length=200, examples=["Computer Science"])
    description: str = Field(default="", max_length=2000, examples=["Algorithms, systems, AI"])


class Taxonomy(BaseModel):
    """A named list of categories papers are classified into."""

    name: str = Field(examples=["research-fields"])
    categories: list[Category]


class Paper(BaseModel):
    """One paper of a job, as stored and as served."""

    id: int
    job_id: str
    file_name: str
    sha256: str
    title: str | None = Field(default=None, examples=["Attention Is All You Need"])
    authors: list[str] = Field(default_factory=list, examples=[["Ashish Vaswani", "Noam Shazeer"]])
    year: int | None = Field(default=None, examples=[2017])
    doi: str | None = Field(default=None, examples=["10.48550/arXiv.1706.03762"])
    arxiv_id: str | None = Field(default=None, examples=["1706.03762"])
    abstract: str | None = None
    venue: str | None = Field(default=None, examples=["Journal of Open Source Education"])
    volume: str | None = Field(default=None, examples=["2"])
    issue: str | None = Field(default=None, examples=["11"])
    page_range: str | None = Field(
        default=None, description="The printed pages or article number.", examples=["222-235"]
    )
    publisher: str | None = None
    issn: str | None = Field(default=None, examples=["2577-3569"])
    type: PaperType | None = None
    pages: int = Field(description="The PDF's page count.", examples=[15])
    category: str | None = Field(default=None, examples=["Computer Science"])
    category_score: float | None = Field(default=None, examples=[0.82])
    method: ExtractionMethod = ExtractionMethod.text
    warnings: list[str] = Field(default_factory=list)
    sources: dict[str, FieldSource] = Field(
        default_factory=dict,
        description="Where each field came from: pdf, metadata, crossref, openalex, llm, user.",
        examples=[{"title": "pdf", "venue": "metadata"}],
    )

    @property
    def category_set_by_user(self) -> bool:
        """Whether a user chose the category (none included: clearing it is a choice too)."""
        return self.sources.get("category") == FieldSource.user


@dataclass(frozen=True, slots=True)
class CategoryAssignment:
    """A classifier's answer for one paper."""

    category: str
    score: float
