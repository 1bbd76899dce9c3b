"""The files a job reads: safe stored names, and folder files kept inside the allowed roots."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from catalogsvc.domain import FileState
from catalogsvc.errors import PathNotAllowed, UploadTooLarge
from catalogsvc.jobs.inputs import (
    IN_DATA_DIR,
    OUTSIDE_ROOTS,
    allowed_folder,
    display_name,
    folder_files,
    remove_job_files,
    save_uploads,
)
from catalogsvc.store.records import JobPaths
from tests.pdf_factory import make_paper_pdf


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("paper.pdf", "paper.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\paper.pdf", "paper.pdf"),
        ("bad\x00name\x1f.pdf", "badname.pdf"),
        ("", "file-3.pdf"),
        ("..", ".."),
    ],
)
def test_display_name_is_the_last_part_without_control_characters(given: str, shown: str) -> None:
    assert display_name(given, 3) == shown


def test_uploads_with_hostile_names_are_stored_under_safe_names(tmp_path: Path) -> None:
    names = ["a\x00b.pdf", "é" * 300 + ".pdf", "..", "/"]
    uploads = [(name, io.BytesIO(b"%PDF-1.4 x")) for name in names]

    files = save_uploads(uploads, tmp_path / "job", limit=1024)

    assert [f.file_name for f in files] == [
        "ab.pdf",
        ("é" * 300 + ".pdf")[:255],
        "..",
        "file-3.pdf",
    ]
    stored = [Path(f.path) for f in files]
    assert all(p.parent == tmp_path / "job" and p.read_bytes() == b"%PDF-1.4 x" for p in stored)
    assert all(len(p.name.encode()) <= 255 for p in stored)


def test_an_upload_that_fails_leaves_no_folder_behind(tmp_path: Path) -> None:
    uploads = [("a.pdf", io.BytesIO(b"x" * 600)), ("b.pdf", io.BytesIO(b"x" * 600))]

    with pytest.raises(UploadTooLarge):
        save_uploads(uploads, tmp_path / "job", limit=1000)

    assert not (tmp_path / "job").exists()


@pytest.fixture
def layout(tmp_path: Path) -> dict[str, Path]:
    """An allowed root holding a folder of papers, a secret file outside, and a data dir."""
    root, outside, data = tmp_path / "root", tmp_path / "outside", tmp_path / "root" / "data"
    for folder in (root / "papers", outside, data / "uploads" / "other"):
        folder.mkdir(parents=True)
    make_paper_pdf(root / "papers" / "real.pdf", title="A Real Paper", authors=["Ada Lovelace"])
    make_paper_pdf(outside / "secret.pdf", title="A Secret Paper", authors=["Ada Lovelace"])
    make_paper_pdf(
        data / "uploads" / "other" / "00000-x.pdf", title="Another Upload", authors=["Ada Lovelace"]
    )
    return {"root": root, "outside": outside, "data": data}


def test_folder_files_skip_links_that_lead_outside_the_roots_or_into_the_data_dir(
    layout: dict[str, Path],
) -> None:
    papers = layout["root"] / "papers"
    (papers / "escape.pdf").symlink_to(layout["outside"] / "secret.pdf")
    (papers / "peek.pdf").symlink_to(layout["data"] / "uploads" / "other" / "00000-x.pdf")
    (papers / "inside.pdf").symlink_to(papers / "real.pdf")

    files = folder_files(papers, recursive=False, roots=[layout["root"]], data_dir=layout["data"])

    by_name = {f.file_name: f for f in files}
    assert (by_name["escape.pdf"].state, by_name["escape.pdf"].error) == (
        FileState.skipped,
        OUTSIDE_ROOTS,
    )
    assert (by_name["peek.pdf"].state, by_name["peek.pdf"].error) == (
        FileState.skipped,
        IN_DATA_DIR,
    )
    assert by_name["inside.pdf"].state is FileState.pending
    assert by_name["inside.pdf"].path == str(papers / "real.pdf")


def test_a_folder_job_may_not_read_the_data_dir(layout: dict[str, Path]) -> None:
    with pytest.raises(PathNotAllowed, match="data folder"):
        allowed_folder(str(layout["data"] / "uploads" / "other"), [layout["root"]], layout["data"])


def test_removing_a_jobs_files_never_follows_a_link_into_another_jobs_uploads(
    layout: dict[str, Path],
) -> None:
    uploads = layout["data"] / "uploads"
    other_upload = uploads / "other" / "00000-x.pdf"
    link = layout["root"] / "papers" / "peek.pdf"
    link.symlink_to(other_upload)

    remove_job_files(uploads, "job", JobPaths([str(link)], []))

    assert other_upload.exists()
    assert link.is_symlink()


def test_removing_the_last_job_of_a_chain_removes_its_parents_upload_folder(
    layout: dict[str, Path],
) -> None:
    """A resumed job read its deleted parent's uploads; deleting it leaves no empty folder."""
    uploads = layout["data"] / "uploads"
    parent_upload = uploads / "other" / "00000-x.pdf"

    remove_job_files(uploads, "child", JobPaths([str(parent_upload)], []))

    assert not parent_upload.parent.exists()
    assert uploads.exists()
