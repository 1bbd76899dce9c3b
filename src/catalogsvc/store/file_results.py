"""What became of one file, stored only while its job runs and only once: a file that
another worker has ended already (a task run twice) is left as that worker stored it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Engine, bindparam, insert, update
from sqlmodel import Session, col, select

from catalogsvc.domain import ExtractedPaper, FileState, Paper
from catalogsvc.store.models import JobFileRow, PaperRow
from catalogsvc.store.row_guards import hold_running_job


class FileAlreadyEnded(Exception):
    """Another worker stored this file's outcome first; nothing was written."""


@dataclass(frozen=True, slots=True)
class StoredFile:
    state: FileState
    paper: Paper | None = None
    note: str | None = None


def store_extracted_batch(
    engine: Engine,
    job_id: str,
    files: Sequence[tuple[JobFileRow, ExtractedPaper]],
    worker: str | None,
) -> list[StoredFile | None] | None:
    """Each file's paper, or `skipped` when the job has a paper of the same content (stored
    before or earlier in the batch), in one transaction on the held job row; for each file,
    None when another worker ended it first (nothing is written for it). None, storing
    nothing, once the job has ended."""
    with Session(engine) as session:
        if not hold_running_job(session, job_id):
            return None
        # Core statements, not the ORM's unit of work: a fast job stores hundreds a second.
        connection = session.connection()
        # Every write of the job's files holds its row: what is pending now stays pending.
        pending = set(
            connection.execute(
                select(JobFileRow.id).where(
                    col(JobFileRow.id).in_([file.id for file, _ in files]),
                    JobFileRow.state == FileState.pending.value,
                )
            ).scalars()
        )
        stored_as: dict[str, str] = {
            sha256: file_name
            for sha256, file_name in connection.execute(
                select(PaperRow.sha256, PaperRow.file_name).where(
                    PaperRow.job_id == job_id,
                    col(PaperRow.sha256).in_({extracted.sha256 for _, extracted in files}),
                )
            )
        }
        outcomes: list[StoredFile | None] = []  # None: ended elsewhere, or a new paper's
        ended: list[dict[str, object]] = []
        new_papers: list[tuple[int, dict[str, Any]]] = []  # (index in files, row)
        for file, extracted in files:
            outcomes.append(None)
            if file.id not in pending:
                continue
            if (twin := stored_as.get(extracted.sha256)) is not None:
                note = f"same content as {twin}"
                outcomes[-1] = StoredFile(FileState.skipped, note=note)
                ended.append(_ended(file.id, FileState.skipped, note, worker))
                continue
            stored_as[extracted.sha256] = file.file_name
            row = {"job_id": job_id, "file_name": file.file_name} | asdict(extracted)
            new_papers.append((len(outcomes) - 1, row))
        if new_papers:
            ids = connection.execute(
                insert(PaperRow).returning(col(PaperRow.id), sort_by_parameter_order=True),
                [row for _, row in new_papers],
            ).scalars()
            for (index, row), paper_id in zip(new_papers, ids, strict=True):
                paper = Paper.model_validate(row | {"id": paper_id})
                outcomes[index] = StoredFile(FileState.done, paper=paper)
                ended.append(_ended(files[index][0].id, FileState.done, None, worker, paper_id))
        if ended:
            connection.execute(_END_FILE, ended)
        session.commit()
        return outcomes


# One statement for one file or many (executemany), ending a file only while it is pending;
# the bound names differ from the columns'.
_END_FILE = (
    update(JobFileRow)
    .where(
        col(JobFileRow.id) == bindparam("file_id"),
        col(JobFileRow.state) == FileState.pending.value,
    )
    .values(
        state=bindparam("new_state"),
        error=bindparam("new_error"),
        worker=bindparam("new_worker"),
        paper_id=bindparam("new_paper_id"),
    )
)


def _ended(
    file_id: int | None,
    state: FileState,
    error: str | None,
    worker: str | None,
    paper_id: int | None = None,
) -> dict[str, object]:
    return {
        "file_id": file_id,
        "new_state": state.value,
        "new_error": error,
        "new_worker": worker,
        "new_paper_id": paper_id,
    }


def store_outcome(
    engine: Engine,
    job_id: str,
    file_id: int,
    state: FileState,
    error: str | None,
    worker: str | None,
) -> bool:
    """A file that stored no paper; False, recording nothing, once the job has ended."""
    with Session(engine) as session:
        if not hold_running_job(session, job_id):
            return False
        ended = session.connection().execute(_END_FILE, _ended(file_id, state, error, worker))
        if int(ended.rowcount) == 0:
            raise FileAlreadyEnded(f"file {file_id} was ended by another worker")
        session.commit()
        return True
