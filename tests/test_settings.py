"""Which way jobs run follows the database unless asked otherwise."""

from __future__ import annotations

import pytest
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
