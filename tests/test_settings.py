"""Which way jobs run follows the database unless asked otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
from platformdirs import user_data_dir
from pydantic import ValidationError

from catalogsvc.settings import Settings

POSTGRESQL = "postgresql+psycopg://catalogsvc@db/catalogsvc"


def test_the_task_queue_is_on_with_postgresql_and_off_with_sqlite() -> None:
    assert Settings(database_url=POSTGRESQL).queue_enabled
    assert not Settings(database_url="sqlite:///jobs.db").queue_enabled
    assert not Settings(database_url=None).queue_enabled


def test_postgresql_may_run_jobs_in_process_when_asked() -> None:
    assert not Settings(database_url=POSTGRESQL, task_queue=False).queue_enabled


def test_the_task_queue_on_sqlite_is_refused_with_the_reason() -> None:
    with pytest.raises(ValidationError, match="needs a PostgreSQL CATALOGSVC_DATABASE_URL"):
        Settings(database_url="sqlite:///jobs.db", task_queue=True)


def test_the_data_folder_is_the_users_wherever_the_command_starts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CATALOGSVC_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    here = Settings(_env_file=None).data_dir
    monkeypatch.chdir("/")

    assert here == Settings(_env_file=None).data_dir == Path(user_data_dir("catalogsvc"))
    assert here.is_absolute()
