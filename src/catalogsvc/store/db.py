"""The SQLAlchemy engine and the schema upgrade that runs at start."""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.engine.url import make_url

from catalogsvc.errors import CatalogError, DatabaseUnavailable, StorageFull
from catalogsvc.store.disk_space import is_out_of_space

# The PostgreSQL schema of procrastinate's tables (migration 0004); ours stay in public.
QUEUE_SCHEMA = "procrastinate"
IDLE_IN_TRANSACTION_MS = 10_000
# Store calls run on the event loop's worker threads (asyncio.to_thread: at most 32, or the
# cores + 4): a connection kept for each, so no request pays for opening one (SQLite then
# re-reads the whole schema) while the threads are busy.
POOL_SIZE = min(32, (os.cpu_count() or 1) + 4)
POOL_OVERFLOW = 8
# The top-level migrations/ folder, installed as catalogsvc.migrations.
MIGRATIONS_DIR = str(resources.files("catalogsvc.migrations"))


def is_ours(name: str | None, type_: str, _parent_names: object) -> bool:
    """Alembic's `include_name`: autogenerate compares our tables only, never the task queue's
    (its schema is on the search path, so PostgreSQL shows its tables and indexes too)."""
    # papers_search: full-text search (migration 0011), an FTS5 table or an expression index,
    # and ix_papers_lower_doi (0012), an expression index: the models cannot describe them.
    return not (name or "").startswith(("procrastinate", "papers_search", "ix_papers_lower_doi"))


def json_text(value: object) -> str:
    """JSON columns as UTF-8 text, not ASCII escapes: the full-text index reads the authors'
    names as written ("Görür", not "G\\u00f6r\\u00fcr"), so they can be searched."""
    return json.dumps(value, ensure_ascii=False)


def create_store_engine(url: str) -> Engine:
    """Build the engine; SQLite gets WAL, a busy timeout and cross-thread use."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # The task queue's triggers name its types unqualified: its schema must be on the path.
        # A session left idle inside a transaction (a frozen or cut-off worker) would hold
        # its job's row and every write after it; the server ends it after this long.
        options = (
            f"-c search_path=public,{QUEUE_SCHEMA} "
            f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_MS}"
        )
        engine = create_engine(
            url,
            pool_pre_ping=True,
            json_serializer=json_text,
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
            connect_args={"options": options},
        )
    else:
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            json_serializer=json_text,
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
            connect_args={"check_same_thread": False, "timeout": 30},
        )
        event.listen(engine, "connect", _configure_sqlite)
    event.listen(engine, "handle_error", _domain_error)
    return engine


def _domain_error(context: ExceptionContext) -> CatalogError | None:
    """A database write that failed for want of space raises StorageFull, and a database
    that cannot be reached DatabaseUnavailable: the domain's words, whichever driver spoke."""
    error = context.original_exception
    if is_out_of_space(error):
        return StorageFull.because(error)
    if context.is_disconnect or _refused(error):
        return DatabaseUnavailable(
            f"The database cannot be reached ({type(error).__name__}: "
            f"{str(error).strip().splitlines()[0] if str(error).strip() else 'no detail'}); "
            "try again in a moment."
        )
    return None


def _refused(error: BaseException) -> bool:
    """A PostgreSQL connection that could not be opened or was closed under us."""
    return type(error).__name__ == "OperationalError" and type(error).__module__.startswith(
        "psycopg"
    )


def _configure_sqlite(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS_DIR)
    config.attributes["engine"] = engine
    return config


def upgrade_schema(engine: Engine) -> None:
    """Bring the database to the newest schema (alembic upgrade head)."""
    command.upgrade(alembic_config(engine), "head")
