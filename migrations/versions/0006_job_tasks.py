"""job_tasks: the queue tasks of each job; on PostgreSQL, ending a job aborts them

A trigger does it, so that the cancelled (or failed, or interrupted) row and the abort of the
job's queued and running tasks are one transaction, whichever code ends the job.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ABORT_FUNCTION = """
CREATE FUNCTION catalogsvc_abort_job_tasks() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, procrastinate AS $$
BEGIN
    PERFORM procrastinate_cancel_job_v1(task.task_id, true, false)
    FROM job_tasks AS task WHERE task.job_id = NEW.id;
    RETURN NEW;
END
$$
"""
ABORT_TRIGGER = """
CREATE TRIGGER catalogsvc_abort_job_tasks AFTER UPDATE OF status ON jobs FOR EACH ROW
WHEN (NEW.status IN ('cancelled', 'failed', 'interrupted') AND OLD.status <> NEW.status)
EXECUTE FUNCTION catalogsvc_abort_job_tasks()
"""


def upgrade() -> None:
    op.create_table(
        "job_tasks",
        sa.Column("job_id", sa.String(length=32), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("job_id", "task_id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(ABORT_FUNCTION)
        op.execute(ABORT_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS catalogsvc_abort_job_tasks ON jobs")
        op.execute("DROP FUNCTION IF EXISTS catalogsvc_abort_job_tasks()")
    op.drop_table("job_tasks")
