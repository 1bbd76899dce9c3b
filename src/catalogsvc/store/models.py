"""SQLModel tables: jobs, their files, their papers, and cached LLM answers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


def utc_now() -> datetime:
    return datetime.now(UTC)


class JobRow(SQLModel, table=True):
    """One job. `seq` orders the history; `id` is the public identifier."""

    __tablename__ = "jobs"

    seq: int | None = Field(default=None, primary_key=True)
    id: str = Field(index=True, unique=True, max_length=32)
    kind: str = Field(max_length=16)
    status: str = Field(index=True, max_length=16)
    phase: str = Field(max_length=16)
    error: str | None = None
    created_at: datetime = Field(default_factory=utc_now)
    start_time: datetime | None = None
    end_time: datetime | None = None
    cancel_requested_at: datetime | None = None
    parent_id: str | None = Field(default=None, max_length=32)
    resumed_by: str | None = Field(default=None, max_length=32)
    taxonomy: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    classifier: str = Field(max_length=200)
    timings: dict[str, float] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    source: str = Field(default="upload")
    owner: str | None = Field(default=None, index=True, max_length=64)
    replica: str | None = Field(default=None, max_length=128)
    lease_renewed_at: datetime | None = None
    # A reclassify asked to replace the categories users set (else it keeps them).
    overwrite_user_categories: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    name: str | None = Field(default=None, max_length=200)


class JobFileRow(SQLModel, table=True):
    """One input file of a job and how far it got."""

    __tablename__ = "job_files"
    __table_args__ = (Index("ix_job_files_job_state", "job_id", "state"),)

    id: int | None = Field(default=None, primary_key=True)
    job_id: str = Field(index=True, max_length=32)
    position: int
    file_name: str
    path: str
    state: str = Field(max_length=16)
    error: str | None = None
    paper_id: int | None = None
    # The replica or worker that read the file (`host:pid` unless named), once it has ended.
    worker: str | None = Field(default=None, max_length=128)


class PaperRow(SQLModel, table=True):
    """One extracted paper; committed as soon as its file is done."""

    __tablename__ = "papers"

    id: int | None = Field(default=None, primary_key=True)
    job_id: str = Field(index=True, max_length=32)
    file_name: str
    sha256: str = Field(index=True, max_length=64)
    title: str | None = None
    authors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    year: int | None = None
    doi: str | None = None  # indexed as lower(doi) by migration 0012
    arxiv_id: str | None = Field(default=None, index=True)
    abstract: str | None = None
    venue: str | None = None
    volume: str | None = None
    issue: str | None = None
    page_range: str | None = None
    publisher: str | None = None
    issn: str | None = None
    type: str | None = Field(default=None, max_length=32)
    pages: int = 0
    category: str | None = None
    category_score: float | None = None
    method: str = Field(default="text", max_length=16)
    warnings: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    sources: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class ClassificationCacheRow(SQLModel, table=True):
    """A model's answer for one paper under one taxonomy, so no request is paid twice."""

    __tablename__ = "classification_cache"
    __table_args__ = (UniqueConstraint("sha256", "taxonomy_key", "model"),)

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64)
    taxonomy_key: str = Field(max_length=64)
    model: str = Field(max_length=200)
    category: str
    score: float


class RegistryCacheRow(SQLModel, table=True):
    """What a registry answered for a DOI (None: it does not know the work), across jobs."""

    __tablename__ = "registry_cache"
    __table_args__ = (UniqueConstraint("source", "doi"),)

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=32)  # the registry (not "registry": SQLModel's own name)
    doi: str = Field(max_length=300)
    record: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    fetched_at: datetime = Field(default_factory=utc_now)


class JobTaskRow(SQLModel, table=True):
    """A task of the PostgreSQL task queue doing part of a job (a batch of its files, or its
    classification); ending the job aborts them all in the same transaction (migration 0006)."""

    __tablename__ = "job_tasks"

    job_id: str = Field(primary_key=True, max_length=32)
    task_id: int = Field(primary_key=True)
