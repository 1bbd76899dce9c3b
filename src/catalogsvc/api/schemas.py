"""Request and response models of the HTTP API (they are also the OpenAPI schema)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from catalogsvc.domain import Category, FileState, JobKind, JobPhase, JobStatus
from catalogsvc.jobs.batch_cancel import CancelOutcomeKind


def _encodable(text: str) -> str:
    """JSON may carry a lone surrogate (\\ud800); no file name or database takes one."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text (it holds a lone surrogate)") from None
    return text


Text = Annotated[str, AfterValidator(_encodable)]
JobName = Annotated[
    str | None, Field(min_length=1, max_length=200, description="Default: the folder's name.")
]
TaxonomyField = Annotated[
    Text | list[Category] | None,
    Field(
        description="A built-in taxonomy name, or a list of {name, description}.",
        examples=["research-fields", [{"name": "Robotics", "description": "robots"}]],
    ),
]


class ProgressOut(BaseModel):
    files_total: int = Field(examples=[12])
    files_done: int = Field(examples=[7], description="Finished files, failed ones included.")
    files_failed: int = Field(examples=[1])
    papers: int = Field(examples=[6])


class TaxonomyOut(BaseModel):
    name: str = Field(examples=["research-fields"])
    categories: list[Category]


class TaxonomyName(BaseModel):
    name: str = Field(examples=["research-fields"])


class JobFields(BaseModel):
    """What a job shows wherever it is listed; its taxonomy differs (JobOut, JobSummary)."""

    id: str
    name: str | None = Field(
        description="Given on submit, or the folder's name, or the first file's."
    )
    source: str = Field(description="The folder a folder job read, or `upload`.")
    kind: JobKind
    status: JobStatus
    phase: JobPhase
    error: str | None
    created_at: datetime
    start_time: datetime | None
    end_time: datetime | None
    cancel_requested_at: datetime | None
    parent_id: str | None
    resumed_by: str | None = Field(description="The job that resumed this one, if any.")
    classifier: str = Field(examples=["offline", "openai:gpt-4o-mini"])
    timings: dict[str, float] = Field(examples=[{"extracting": 3.2, "classifying": 0.1}])
    progress: ProgressOut


class JobOut(JobFields):
    """A job with its live progress."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "3f2c9a0b8d7e4f5a9c1b2d3e4f5a6b7c",
                    "name": "2024",
                    "source": "/srv/papers/2024",
                    "kind": "process",
                    "status": "running",
                    "phase": "extracting",
                    "error": None,
                    "created_at": "2026-11-25T10:00:00Z",
                    "start_time": "2026-11-25T10:00:01Z",
                    "end_time": None,
                    "cancel_requested_at": None,
                    "parent_id": None,
                    "resumed_by": None,
                    "taxonomy": {"name": "research-fields", "categories": []},
                    "classifier": "offline",
                    "timings": {"extracting": 1.25},
                    "progress": {
                        "files_total": 12,
                        "files_done": 7,
                        "files_failed": 1,
                        "papers": 6,
                    },
                }
            ]
        }
    )

    taxonomy: TaxonomyOut


class JobSummary(JobFields):
    """A job in the history: as GET /api/jobs/{id} gives it, but its taxonomy by name only
    (its categories are in the job's own answer)."""

    taxonomy: TaxonomyName


class JobPage(BaseModel):
    """One page of the history, newest first."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [], "next_cursor": "41"}]})

    items: list[JobSummary]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class JobFileOut(BaseModel):
    position: int = Field(examples=[0], description="The file's place in the job, from 0.")
    file_name: str = Field(examples=["attention.pdf"])
    state: FileState
    error: str | None = Field(examples=[None, "not a PDF file"])
    worker: str | None = Field(
        default=None,
        description="The replica or worker that read the file (host:pid unless named).",
        examples=["papers-1:4242"],
    )
    paper_id: int | None


class FolderJobIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: Text = Field(min_length=1, examples=["/srv/papers/2024"])
    recursive: bool = False
    taxonomy: TaxonomyField = None
    name: JobName = None


class CancelManyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[Text] = Field(min_length=1, max_length=500, examples=[["3f2c9a0b8d7e4f5a"]])


class CancelResult(BaseModel):
    id: str = Field(examples=["3f2c9a0b8d7e4f5a9c1b2d3e4f5a6b7c"])
    outcome: CancelOutcomeKind = Field(examples=["cancelled"])


class CancelManyOut(BaseModel):
    """One outcome per id, in the order asked."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "results": [
                        {"id": "3f2c9a0b8d7e4f5a9c1b2d3e4f5a6b7c", "outcome": "cancelled"},
                        {"id": "unknown", "outcome": "not_found"},
                    ]
                }
            ]
        }
    )

    results: list[CancelResult]


class ResumeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    retry_failed: bool = Field(
        default=False, description="Also run the files that failed again.", examples=[True]
    )


class ReclassifyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    taxonomy: TaxonomyField = None
    overwrite_user_categories: bool = Field(
        default=False,
        description="Also replace the categories users set (PATCH /api/papers/{id}); by "
        "default they are kept wherever they are categories of the taxonomy.",
    )


class HealthOut(BaseModel):
    status: Literal["ok"] = Field(default="ok", examples=["ok"])
