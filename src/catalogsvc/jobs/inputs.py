"""The files a job reads: uploads saved under safe names, a folder's PDFs kept to the roots."""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Collection, Sequence
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from catalogsvc.domain import FileState, Paper
from catalogsvc.errors import NotAFolder, PathNotAllowed, StorageFull, UploadTooLarge
from catalogsvc.store.disk_space import is_out_of_space
from catalogsvc.store.models import JobFileRow
from catalogsvc.store.records import JobPaths, NewFile

CHUNK_BYTES = 1024 * 1024
DISPLAY_NAME_CHARS = 255
# Bytes of the original name kept in the stored file's name; the position keeps it unique.
STORED_NAME_BYTES = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
OUTSIDE_ROOTS = "not read: it links to a file outside CATALOGSVC_ALLOWED_ROOTS"
IN_DATA_DIR = "not read: it lies in the service's own data folder (CATALOGSVC_DATA_DIR)"


def display_name(name: str | None, position: int) -> str:
    """The name a user gave a file, as shown: its last path part, without control
    characters, at most DISPLAY_NAME_CHARS long."""
    last_part = re.split(r"[/\\]", name or "")[-1]
    shown = _CONTROL.sub("", last_part).strip()[:DISPLAY_NAME_CHARS]
    return shown or f"file-{position}.pdf"


def stored_name(shown: str, position: int) -> str:
    """A file-system-safe, unique name for an upload: its position and the start of its name."""
    stem = shown.encode("utf-8")[:STORED_NAME_BYTES].decode("utf-8", "ignore")
    return f"{position:05d}-{stem}" if stem not in ("", ".", "..") else f"{position:05d}.pdf"


def save_uploads(
    uploads: Sequence[tuple[str, BinaryIO]], folder: Path, limit: int
) -> list[NewFile]:
    """Write the uploads into `folder`; on any failure nothing is left behind."""
    try:
        return _write_uploads(uploads, folder, limit)
    except BaseException as error:
        shutil.rmtree(folder, ignore_errors=True)
        if isinstance(error, OSError) and is_out_of_space(error):
            raise StorageFull.because(error) from error
        raise


def _write_uploads(
    uploads: Sequence[tuple[str, BinaryIO]], folder: Path, limit: int
) -> list[NewFile]:
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    files = []
    for position, (name, stream) in enumerate(uploads):
        shown = display_name(name, position)
        target = folder / stored_name(shown, position)
        with target.open("wb") as out:
            while chunk := stream.read(CHUNK_BYTES):
                total += len(chunk)
                if total > limit:
                    raise UploadTooLarge(
                        f"the upload exceeds CATALOGSVC_MAX_UPLOAD_MB ({limit // (1024 * 1024)} MB)"
                    )
                out.write(chunk)
        files.append(NewFile(shown, str(target)))
    return files


def allowed_folder(path: str, roots: Sequence[Path], data_dir: Path) -> Path:
    """The folder `path` names, resolved, if it lies inside an allowed root and outside the
    service's data folder (another job's uploads)."""
    try:
        folder = Path(path).expanduser().resolve()
    except (ValueError, RuntimeError) as error:  # a NUL byte; "~name" of no known user
        raise NotAFolder(f"{path!r} is not a usable path ({error})") from error
    resolved_roots = [root.expanduser().resolve() for root in roots]
    if not _inside(folder, resolved_roots):
        raise PathNotAllowed(
            f"{path} lies outside CATALOGSVC_ALLOWED_ROOTS"
            + ("" if resolved_roots else " (none are configured)")
        )
    if _inside(folder, [data_dir.resolve()]):
        raise PathNotAllowed(f"{path} lies in the service's own data folder (CATALOGSVC_DATA_DIR)")
    if not _is_folder(folder):
        raise NotAFolder(f"{path} is not a folder")
    return folder


def folder_files(
    folder: Path, *, recursive: bool, roots: Sequence[Path], data_dir: Path
) -> list[NewFile]:
    """The PDFs of a folder, each read through its real path; a link that leads outside the
    allowed roots, or into the data folder, is listed as skipped and never read."""
    resolved_roots = [root.expanduser().resolve() for root in roots]
    data = data_dir.resolve()
    files = []
    for path in sorted(folder.glob("**/*" if recursive else "*")):
        if path.suffix.lower() != ".pdf" or not path.is_file():
            continue
        name = str(path.relative_to(folder))
        real = path.resolve()
        if not _inside(real, resolved_roots):
            files.append(NewFile(name, str(path), FileState.skipped, OUTSIDE_ROOTS))
        elif _inside(real, [data]):
            files.append(NewFile(name, str(path), FileState.skipped, IN_DATA_DIR))
        else:
            files.append(NewFile(name, str(real)))
    return files


def has_pdf_below(folder: Path) -> bool:
    """Whether any subfolder of `folder`, at any depth, holds a PDF."""
    return any(
        path.suffix.lower() == ".pdf" and path.parent != folder for path in folder.rglob("*")
    )


def remove_job_files(uploads: Path, job_id: str, paths: JobPaths) -> None:
    """Remove what the service stored for a deleted job: its upload folder (unless a resumed
    job still reads it), and uploads of deleted parents no job reads any more (and their
    folder once empty). Paths are compared as stored, never through links, so nothing
    outside is touched."""
    job_uploads = uploads / job_id
    if not any(Path(p).is_relative_to(job_uploads) for p in paths.still_used):
        shutil.rmtree(job_uploads, ignore_errors=True)
    for path in map(Path, paths.unused):
        if path.parent.parent == uploads and not path.is_symlink():
            path.unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # not empty: another job's file is in it
                path.parent.rmdir()


def carried_files(
    files: Sequence[JobFileRow], papers: Sequence[Paper], *, retry_failed: bool
) -> list[NewFile]:
    """A parent's files as a resumed or reclassified job takes them over: done ones with their
    paper, the rest pending again (failed ones too, with `retry_failed`)."""
    by_id = {paper.id: paper for paper in papers}
    carried = []
    for file in files:
        state, error = FileState(file.state), file.error
        if state is FileState.failed and retry_failed:
            state, error = FileState.pending, None
        paper = by_id.get(file.paper_id) if file.paper_id is not None else None
        if state is FileState.done and paper is None:
            state = FileState.pending
        worker = file.worker if state is not FileState.pending else None
        carried.append(NewFile(file.file_name, file.path, state, error, paper, worker))
    return carried


def with_categories_of(files: Sequence[NewFile], names: Collection[str]) -> list[NewFile]:
    """The files with their papers' machine-set categories cleared where they are not among
    `names` (a job of another taxonomy: the old one's answers mean nothing there), so that a
    job that stops before it classifies lists such papers as not classified yet. A category
    a user set stays (the classify phase keeps it if the new taxonomy has it)."""
    unclassified = {"category": None, "category_score": None}
    return [
        replace(file, paper=file.paper.model_copy(update=unclassified))
        if file.paper is not None
        and file.paper.category not in names
        and not file.paper.category_set_by_user
        else file
        for file in files
    ]


def _inside(path: Path, roots: Sequence[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def _is_folder(path: Path) -> bool:
    """Whether `path` is a folder; a name too long for the file system is not one."""
    try:
        return path.is_dir()
    except OSError:
        return False
