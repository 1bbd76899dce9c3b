"""The service's configuration: environment variables prefixed CATALOGSVC_, or a .env file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

import platformdirs
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob of catalogsvc, read once and passed to create_app."""

    model_config = SettingsConfigDict(env_prefix="CATALOGSVC_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_data_dir("catalogsvc")),
        description="Database and uploads; default: the user's data folder "
        "(~/.local/share/catalogsvc on Linux), the same for the server and the CLI "
        "wherever they are started.",
    )
    database_url: str | None = Field(
        default=None, description="Any SQLAlchemy URL; default: SQLite in DATA_DIR."
    )
    allowed_roots: Annotated[list[Path], NoDecode] = Field(
        default_factory=list, description="Folders a folder job may read (os.pathsep-separated)."
    )
    max_concurrent_jobs: int = Field(default=2, ge=1)
    max_upload_mb: int = Field(default=512, ge=1)
    file_timeout_s: float = Field(default=60.0, gt=0)
    extract_workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)
    worker_memory_mb: int = Field(
        default=4096,
        ge=0,
        description="Address space of each extraction worker (Linux); 0: no limit.",
    )
    disk_reserve_mb: int = Field(
        default=16,
        ge=0,
        description="Spare space kept in DATA_DIR and given up when the disk is full, so that "
        "jobs can still end, be cancelled and be deleted; 0: none.",
    )
    classify_batch_size: int = Field(default=32, ge=1)
    llm_model: str | None = Field(default=None, description="Set: classify with this chat model.")
    vision_model: str | None = Field(default=None, description="Set: read scanned pages with it.")
    llm_batch_size: int = Field(default=8, ge=1, description="Papers per classification request.")
    llm_max_concurrency: int = Field(default=4, ge=1)
    llm_timeout_s: float = Field(default=120.0, gt=0)
    llm_max_retries: int = Field(default=3, ge=0)
    enrich: Annotated[list[Literal["crossref", "openalex"]], NoDecode] = Field(
        default_factory=list,
        description="Look papers up in these registries after extraction, in order "
        "(comma-separated: crossref, openalex); default: none, fully offline.",
    )
    crossref_url: str = Field(default="https://api.crossref.org", description="Crossref REST API.")
    openalex_url: str = Field(default="https://api.openalex.org", description="OpenAlex API.")
    contact_email: str | None = Field(
        default=None, description="Sent to the registries for their polite pools (mailto)."
    )
    enrich_timeout_s: float = Field(default=10.0, gt=0, description="Per registry request.")
    enrich_max_retries: int = Field(default=3, ge=0, description="On 429 and 5xx answers.")
    enrich_max_concurrency: int = Field(default=4, ge=1, description="Registry requests at once.")
    api_keys: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list,
        description="Set: the API asks for one of these bearer keys (comma-separated); "
        "each key sees only its own jobs.",
    )
    replica_id: str | None = Field(
        default=None,
        max_length=128,
        description="Names this replica's job leases; default: host:pid.",
    )
    job_lease_s: float = Field(
        default=30.0,
        gt=0,
        description="A job whose replica has not renewed it for this long is interrupted.",
    )

    task_queue: bool | None = Field(
        default=None,
        description="Run jobs through procrastinate's task queue (PostgreSQL only): `serve` "
        "defers the work and `catalogsvc worker` processes on any machine do it. "
        "Default: on with PostgreSQL, off with SQLite (jobs run inside `serve`).",
    )
    serve_works: bool = Field(
        default=False,
        description="With the task queue: `serve` also runs a worker (a single box).",
    )
    queue_batch_size: int = Field(default=20, ge=1, description="Files per queue task.")
    worker_concurrency: int = Field(
        default=2, ge=1, description="Queue tasks a worker runs at once."
    )
    worker_heartbeat_s: float = Field(default=2.0, gt=0)
    worker_stall_s: float = Field(
        default=10.0,
        gt=0,
        description="A worker silent this long is dead: its tasks run again elsewhere.",
    )

    @field_validator("allowed_roots", mode="before")
    @classmethod
    def _split_roots(cls, value: object) -> object:
        if isinstance(value, str):
            return [part for part in value.split(os.pathsep) if part.strip()]
        return value

    @field_validator("enrich", mode="before")
    @classmethod
    def _split_registries(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip().lower() for part in value.split(",") if part.strip()]
        return value

    @field_validator("api_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _queue_needs_postgresql(self) -> Settings:
        if self.task_queue and not self.uses_postgresql:
            raise ValueError(
                "CATALOGSVC_TASK_QUEUE=true needs a PostgreSQL CATALOGSVC_DATABASE_URL"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'catalogsvc.db').resolve()}"

    @property
    def uses_postgresql(self) -> bool:
        return (self.database_url or "").startswith("postgresql")

    @property
    def queue_enabled(self) -> bool:
        """Whether jobs go through the task queue: as asked, else wherever PostgreSQL is."""
        return self.uses_postgresql if self.task_queue is None else self.task_queue

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"
