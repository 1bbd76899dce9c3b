"""Where the CLI wrote each job's catalogs, so that `resume` writes the finished catalogs
there too: one small file per job under DATA_DIR/cli-outputs."""

from __future__ import annotations

from pathlib import Path

FOLDER = "cli-outputs"


def remember_output(data_dir: Path, job_id: str, out: Path) -> None:
    folder = data_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    (folder / job_id).write_text(str(out.resolve()), encoding="utf-8")


def remembered_output(data_dir: Path, job_id: str) -> Path | None:
    """Where the CLI wrote `job_id`'s catalogs, if it did."""
    try:
        return Path((data_dir / FOLDER / job_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
