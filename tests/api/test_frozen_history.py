"""Once a job has ended, its own work never changes its files, papers or timings again."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from catalogsvc.api.deps import Services
from catalogsvc.domain import CategoryAssignment, Paper, Taxonomy
from catalogsvc.jobs.event_bus import EventBus
from catalogsvc.jobs.transitions import JobTransitions
from tests.conftest import ClientFactory, ServiceClient, write_papers
from tests.gated_extract import release


class BlockingClassifier:
    """Blocks in its call until the job is cancelled."""

    name = "offline"

    def __init__(self) -> None:
        self.entered = asyncio.Event()

    async def classify(
        self, papers: Sequence[Paper], taxonomy: Taxonomy
    ) -> list[CategoryAssignment]:
        self.entered.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


class CancelledElsewhereClassifier:
    """Has the job cancelled in the store, as another replica would, then answers anyway."""

    name = "offline"

    def __init__(self) -> None:
        self.client: ServiceClient | None = None
        self.job_id = ""
        self.cancel_answer: dict[str, object] = {}

    async def classify(
        self, papers: Sequence[Paper], taxonomy: Taxonomy
    ) -> list[CategoryAssignment]:
        assert self.client is not None
        services: Services = self.client.app.state.services
        assert await JobTransitions(services.store, EventBus()).cancel(self.job_id)
        self.cancel_answer = await self.client.job(self.job_id)
        return [CategoryAssignment(taxonomy.categories[0].name, 1.0) for _ in papers]


async def test_a_cancel_answers_the_timings_and_progress_the_history_keeps(
    client_factory: ClientFactory, papers_dir: Path
) -> None:
    blocking = BlockingClassifier()
    client = await client_factory(classifier_factory=lambda _s: blocking)
    write_papers(papers_dir, 3)
    job = await client.folder_job(papers_dir)
    await asyncio.wait_for(blocking.entered.wait(), 30)

    answer = (await client.http.post(f"/api/jobs/{job['id']}/cancel")).json()
    finished = await client.wait_until_finished(job["id"])

    assert answer["status"] == "cancelled"
    assert set(answer["timings"]) == {"extracting", "classifying"}
    assert finished["timings"] == answer["timings"]
    assert finished["progress"] == answer["progress"]
    assert finished["end_time"] == answer["end_time"]


async def test_an_answer_that_arrives_after_the_job_ended_is_not_stored(
    client_factory: ClientFactory, papers_dir: Path
) -> None:
    """The job is cancelled (through another replica) while its classifier works: the
    categories that come back afterwards are dropped, the history stays as it ended, and
    its catalog says it is partial (every file was read, no paper classified)."""
    classifier = CancelledElsewhereClassifier()
    client = await client_factory(classifier_factory=lambda _s: classifier)
    classifier.client = client
    write_papers(papers_dir, 3)
    job = await client.folder_job(papers_dir)
    classifier.job_id = job["id"]
    finished = await client.wait_until_finished(job["id"])

    answer = classifier.cancel_answer
    assert answer["status"] == "cancelled"
    assert finished == answer
    papers = await client.papers(job["id"])
    assert [p["category"] for p in papers] == [None, None, None]
    catalog = (await client.http.get(f"/api/jobs/{job['id']}/catalog?format=json")).json()
    assert catalog["partial"] is True


async def test_a_job_is_resumed_once_and_a_second_resume_names_the_first_child(
    client: ServiceClient, papers_dir: Path
) -> None:
    write_papers(papers_dir, 1)
    parent, gated = await client.start_held_job(papers_dir)
    await client.http.post(f"/api/jobs/{parent['id']}/cancel")
    await client.wait_until_finished(parent["id"])
    release(gated)

    first = await client.http.post(f"/api/jobs/{parent['id']}/resume", json={})
    second = await client.http.post(f"/api/jobs/{parent['id']}/resume", json={})

    assert first.status_code == 202
    child_id = first.json()["id"]
    assert second.status_code == 409
    assert child_id in second.json()["detail"]
    shown = await client.job(parent["id"])
    assert shown["resumed_by"] == child_id
    assert shown["status"] == "cancelled"
    await client.wait_until_finished(child_id)


async def test_resume_racing_delete_never_starts_an_empty_job(
    client: ServiceClient, papers_dir: Path
) -> None:
    """Resume and DELETE of the same cancelled parent, sent together, 20 times: either the
    child carries all of the parent's files, or the resume is refused with 404 or 409."""
    write_papers(papers_dir, 2)
    for _ in range(20):
        parent = await client.folder_job(papers_dir)
        await client.http.post(f"/api/jobs/{parent['id']}/cancel")
        await client.wait_until_finished(parent["id"])
        resume, delete = await asyncio.gather(
            client.http.post(f"/api/jobs/{parent['id']}/resume", json={}),
            client.http.delete(f"/api/jobs/{parent['id']}"),
        )

        assert delete.status_code == 204
        assert resume.status_code in (202, 404, 409), resume.text
        if resume.status_code == 202:
            child = resume.json()
            assert child["progress"]["files_total"] == 2
            done = await client.wait_until_finished(child["id"])
            assert done["status"] == "completed"
            assert done["progress"]["papers"] == 2
