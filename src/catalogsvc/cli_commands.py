"""The commands of `catalogsvc` (cli.py imports this module once Ctrl-C is handled): serve,
run a folder in-process, resume, list the history, run a queue worker, evaluate."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from rich.console import Console

from catalogsvc.app import create_app, open_services
from catalogsvc.catalog.catalogs import CatalogFormat, RenderedCatalog
from catalogsvc.cli_history import history_table
from catalogsvc.cli_logging import configure_logging
from catalogsvc.cli_outputs import remember_output, remembered_output
from catalogsvc.cli_progress import progress_bar
from catalogsvc.domain import JobStatus
from catalogsvc.errors import CatalogError, JobConflict, NotAFolder
from catalogsvc.extraction.extract import extract_paper
from catalogsvc.extraction.pool import ExtractFn
from catalogsvc.jobs.events import PhaseEvent, ProgressEvent
from catalogsvc.jobs.job_catalog import job_catalogs
from catalogsvc.jobs.replica import Replica
from catalogsvc.jobs.service import JobService
from catalogsvc.settings import Settings
from catalogsvc.store.db import create_store_engine, upgrade_schema
from catalogsvc.store.repository import Store
from catalogsvc.store.snapshot import JobSnapshot
from catalogsvc.taxonomies import resolve_taxonomy

# Not a terminal (a log file, a pipe): a line is never broken at 80 columns.
console = Console(stderr=True, soft_wrap=True)
SHORT_ID = 12


def run_command(argv: Sequence[str] | None, *, extract: ExtractFn | None) -> int:
    """Parse `argv` and run its command; `extract` reads each PDF (tests pass a slower one)."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    args.extract = extract or extract_paper
    configure_logging(console)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # "Context impl …" on every start
    try:
        result: int = args.command(args)
    except CatalogError as error:
        console.print(f"[red]error:[/red] {error.detail}")
        return 2
    return result


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="catalogsvc", description="Turn folders of scholarly PDFs into classified catalogs."
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(command=_serve)

    run = commands.add_parser("run", help="catalog a folder of PDFs in-process")
    run.add_argument("folder", type=Path)
    run.add_argument("--out", type=Path, default=Path("catalog"))
    run.add_argument(
        "--format",
        action="append",
        choices=[f.value for f in CatalogFormat],
        default=None,
        help="repeatable; default: every format",
    )
    run.add_argument("--recursive", action="store_true")
    run.add_argument("--taxonomy", default=None, help="built-in name or JSON list of categories")
    run.set_defaults(command=_run)

    resume = commands.add_parser("resume", help="finish a cancelled, failed or interrupted job")
    resume.add_argument("job_id")
    resume.add_argument("--retry-failed", action="store_true")
    resume.add_argument(
        "--out", type=Path, default=None, help="default: where the job's own run wrote"
    )
    resume.add_argument("--format", action="append", choices=[f.value for f in CatalogFormat])
    resume.set_defaults(command=_resume)

    jobs = commands.add_parser("jobs", help="list the job history")
    jobs.add_argument("--limit", type=int, default=50)
    jobs.set_defaults(command=_jobs)

    worker = commands.add_parser("worker", help="run queued work on this machine (PostgreSQL)")
    worker.set_defaults(command=_worker)

    evaluate = commands.add_parser("eval", help="score extraction against a truth.jsonl")
    evaluate.add_argument("corpus", type=Path)
    evaluate.set_defaults(command=_eval)
    return parser


def _serve(args: argparse.Namespace) -> int:
    from catalogsvc.serving import serve

    settings = Settings()
    console.print(
        f"catalogsvc on http://{args.host}:{args.port}/ "
        f"(API docs at /docs, data in {settings.data_dir})"
    )
    serve(create_app(settings), host=args.host, port=args.port)
    return 0


def _run(args: argparse.Namespace) -> int:
    folder = args.folder.resolve()
    settings = _in_process(Settings())
    settings = settings.model_copy(update={"allowed_roots": [*settings.allowed_roots, folder]})
    taxonomy = resolve_taxonomy(args.taxonomy)

    async def submit(jobs: JobService) -> JobSnapshot:
        return await jobs.submit_folder(str(folder), recursive=args.recursive, taxonomy=taxonomy)

    final, catalogs = asyncio.run(_run_job(settings, submit, args))
    remember_output(settings.data_dir, final.job.id, args.out)
    return _write_outcome(final, catalogs, args.out)


def _resume(args: argparse.Namespace) -> int:
    settings = _in_process(Settings())

    async def submit(jobs: JobService) -> JobSnapshot:
        job_id = await jobs.full_id(args.job_id)  # a unique prefix will do
        return await jobs.resume_job(job_id, retry_failed=args.retry_failed)

    final, catalogs = asyncio.run(_run_job(settings, submit, args))
    parent = final.job.parent_id or ""
    out = args.out or remembered_output(settings.data_dir, parent) or Path("catalog")
    remember_output(settings.data_dir, final.job.id, out)
    return _write_outcome(final, catalogs, out)


def _in_process(settings: Settings) -> Settings:
    """`run` and `resume` do the job in this process, even where the task queue is on."""
    return settings.model_copy(update={"task_queue": False})


async def _run_job(
    settings: Settings,
    submit: Callable[[JobService], Awaitable[JobSnapshot]],
    args: argparse.Namespace,
) -> tuple[JobSnapshot, list[RenderedCatalog]]:
    """Run the job in-process, its progress bar fed by the job's events (the same the server
    streams); on Ctrl-C cancel it. The job as it ended, and its catalogs."""
    async with open_services(settings, extract=args.extract) as (services, runner):
        # Ctrl-C is caught from before the job exists, so no press is lost in between.
        ctrl_c = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGINT, ctrl_c.set)
        snapshot: JobSnapshot = await submit(services.jobs)
        job_id = snapshot.job.id

        async def cancel_on_ctrl_c() -> None:
            await ctrl_c.wait()
            with contextlib.suppress(JobConflict):  # it finished as Ctrl-C was pressed
                await services.jobs.cancel_job(job_id)

        canceller = asyncio.create_task(cancel_on_ctrl_c())
        async with services.bus.subscribe(job_id) as events:
            # Subscribed first, then read: no event falls between the two.
            current = await services.jobs.get_job(job_id)
            with progress_bar(console) as bar:
                task = bar.add_task(
                    current.job.phase,
                    total=current.progress.files_total,
                    papers=current.progress.papers,
                )
                bar.update(task, completed=current.progress.files_done)
                # The job's task ends however the job ends, a cancel written by another
                # process included (which sends no event here).
                ended = asyncio.ensure_future(runner.wait(job_id))
                while not ended.done():
                    next_event = asyncio.ensure_future(events.get())
                    await asyncio.wait({next_event, ended}, return_when=asyncio.FIRST_COMPLETED)
                    if not next_event.done():
                        next_event.cancel()
                    elif isinstance(event := next_event.result(), ProgressEvent):
                        bar.update(task, completed=event.files_done, papers=event.papers)
                    elif isinstance(event, PhaseEvent):
                        bar.update(task, description=event.phase.value)
                # The bar's last word is how the job ended, not the phase it ended in.
                ended_as = (await services.jobs.get_job(job_id)).job.status
                bar.update(task, description=str(ended_as))
        canceller.cancel()
        formats = [CatalogFormat(f) for f in args.format or list(CatalogFormat)]
        catalogs = await job_catalogs(services.jobs, job_id, formats)
        final = await services.jobs.get_job(job_id)
        # A Ctrl-C from here on changes nothing: the job has ended; its catalogs get written.
        loop.remove_signal_handler(signal.SIGINT)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        return final, catalogs


def _write_outcome(final: JobSnapshot, catalogs: list[RenderedCatalog], out: Path) -> int:
    """Write the (possibly partial) catalogs and say how the job ended."""
    job_id, status, progress = final.job.id, JobStatus(final.job.status), final.progress
    out.mkdir(parents=True, exist_ok=True)
    for rendered in catalogs:
        (out / rendered.filename).write_bytes(rendered.content)
    console.print(
        f"job {job_id}: [bold]{status}[/bold]; {progress.files_done}/{progress.files_total} files, "
        f"{progress.files_failed} failed, {progress.papers} papers; catalogs in {out}"
    )
    if status is not JobStatus.completed:
        console.print(f"resume it with: catalogsvc resume {job_id}")
        return 130 if status is JobStatus.cancelled else 1
    return 0


def _worker(args: argparse.Namespace) -> int:
    from catalogsvc.worker import run_worker

    settings = Settings()
    console.print(f"catalogsvc worker {Replica.of_this_process(settings).name}")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_worker(settings, extract=args.extract))
    return 0


def _jobs(args: argparse.Namespace) -> int:
    settings = Settings()
    engine = create_store_engine(settings.resolved_database_url)
    upgrade_schema(engine)
    store = Store(engine)
    jobs = store.list_jobs(limit=args.limit)
    counts = store.progress([job.id for job in jobs])
    # Ids are shown by their first 12 characters: any unique prefix names a job.
    rows = []
    for job in jobs:
        progress = counts[job.id]
        failed = f", {progress.files_failed} failed" if progress.files_failed else ""
        rows.append(
            (
                job.id[:SHORT_ID],
                job.name or "",
                job.status if job.kind == "process" else f"{job.status} ({job.kind})",
                job.created_at.strftime("%m-%d %H:%M"),
                f"{progress.files_done}/{progress.files_total}{failed}",
                str(progress.papers),
                job.error or "",
            )
        )
    terminal = Console()
    table = history_table(rows, terminal.width)
    terminal.print(table)
    return 0


def _eval(args: argparse.Namespace) -> int:
    from catalogsvc.evaluation import evaluate_corpus, render_eval_table

    truth = args.corpus / "truth.jsonl"
    if not truth.is_file():
        raise NotAFolder(f"{truth} not found: CORPUS is a folder of PDFs with a truth.jsonl")
    report = evaluate_corpus(args.corpus)
    print(render_eval_table(report))
    return 0 if report.passed else 1
