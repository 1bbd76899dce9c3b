"""What became of one file, stored only while its job runs and only once: a file that
another worker has ended already (a task run twice) is left as that worker stored it."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import Engine, update
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


def store_extracted(
    engine: Engine, file: JobFileRow, extracted: ExtractedPaper, worker: str | None
) -> StoredFile | None:
    """The file's paper, or `skipped` when the job has a paper of the same content, in one
    transaction on the held job row; None, storing nothing, once the job has ended."""
    with Session(engine, expire_on_commit=False) as session:
        if not hold_running_job(session, file.job_id):
            return None
        twin = session.exec(
            select(PaperRow.file_name).where(
                PaperRow.job_id == file.job_id, PaperRow.sha256 == extracted.sha256
            )
        ).first()
        if twin is not None:
            note = f"same content as {twin}"
            _end_file(session, file.id, FileState.skipped, note, worker)
            session.commit()
            return StoredFile(FileState.skipped, note=note)
        paper = PaperRow(job_id=file.job_id, file_name=file.file_name, **asdict(extracted))
        session.add(paper)
        session.flush()
        _end_file(session, file.id, FileState.done, None, worker, paper_id=paper.id)
        session.commit()
        return StoredFile(FileState.done, paper=Paper.model_validate(paper.model_dump()))


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
        _end_file(session, file_id, state, error, worker)
        session.commit()
        return True


def _end_file(
    session: Session,
    file_id: int | None,
    state: FileState,
    error: str | None,
    worker: str | None,
    paper_id: int | None = None,
) -> None:
    ended = session.exec(
        update(JobFileRow)
        .where(col(JobFileRow.id) == file_id, col(JobFileRow.state) == FileState.pending.value)
        .values(state=state.value, error=error, worker=worker, paper_id=paper_id)
    )
    if int(ended.rowcount) == 0:
        session.rollback()
        raise FileAlreadyEnded(f"file {file_id} was ended by another worker")
