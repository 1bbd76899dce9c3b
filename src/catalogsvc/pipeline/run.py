"""The order of the phases: extract (process jobs only), classify, catalog."""

from __future__ import annotations

from catalogsvc.domain import JobKind, JobPhase
from catalogsvc.pipeline.context import JobContext
from catalogsvc.pipeline.phases import classify_papers, extract_files, write_catalogs


async def run_pipeline(context: JobContext) -> None:
    if context.job.kind == JobKind.process:
        await context.enter_phase(JobPhase.extracting)
        await extract_files(context)
    await context.enter_phase(JobPhase.classifying)
    await classify_papers(context)
    await context.enter_phase(JobPhase.cataloging)
    await write_catalogs(context)
