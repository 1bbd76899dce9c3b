"""The order of the phases: extract (process jobs only), then classify. Catalogs are not a
phase: they are rendered from the stored papers when asked for (catalog/catalogs.py)."""

from __future__ import annotations

from catalogsvc.domain import JobKind, JobPhase
from catalogsvc.pipeline.context import JobContext
from catalogsvc.pipeline.phases import classify_papers, extract_files


async def run_pipeline(context: JobContext) -> None:
    if context.job.kind == JobKind.process:
        await context.enter_phase(JobPhase.extracting)
        await extract_files(context)
    await context.enter_phase(JobPhase.classifying)
    await classify_papers(context)
