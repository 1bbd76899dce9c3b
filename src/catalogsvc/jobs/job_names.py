"""The name a job gets when its submitter gives none."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

from catalogsvc.store.records import NewFile


def default_name(source: str, files: Sequence[NewFile]) -> str:
    """A folder job: the folder's name; an upload: its first file's name and how many more."""
    if source != "upload":
        return PurePath(source).name or source
    if not files:
        return "upload"
    first = files[0].file_name
    return first if len(files) == 1 else f"{first} and {len(files) - 1} more"
