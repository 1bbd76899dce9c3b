"""The yardstick of benchmarks.read_path: a plain FastAPI app that answers each request with
rows read from SQLite, as a small service would be written without catalogsvc's machinery.

Run: .venv/bin/uvicorn --loop uvloop benchmarks.reference_app:app  (READ_PATH_DB names the
file; benchmarks.read_path fills it with catalogsvc's own answers, so both send equal bodies).
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import closing
from typing import Any

from fastapi import FastAPI, HTTPException

DATABASE = os.environ.get("READ_PATH_DB", "reference.db")
app = FastAPI()


def rows(sql: str, *parameters: object) -> list[Any]:
    with closing(sqlite3.connect(DATABASE)) as connection:
        return [json.loads(body) for (body,) in connection.execute(sql, parameters)]


@app.get("/jobs/{job_id}")
def get_job(job_id: str) -> Any:
    found = rows("SELECT body FROM jobs WHERE id = ?", job_id)
    if not found:
        raise HTTPException(404, "no such job")
    return found[0]


@app.get("/jobs")
def list_jobs(limit: int = 50) -> dict[str, Any]:
    items = rows("SELECT body FROM listed ORDER BY seq DESC LIMIT ?", limit)
    return {"items": items, "next_cursor": None}
