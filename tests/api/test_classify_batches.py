"""CATALOGSVC_CLASSIFY_BATCH_SIZE: a job hands its papers to the classifier in batches of it."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import pytest

from catalogsvc.domain import CategoryAssignment, Paper, Taxonomy
from catalogsvc.pipeline import phases
from catalogsvc.settings import Settings
from tests.conftest import ClientFactory, write_papers


class CountingClassifier:
    """Puts every paper in the taxonomy's first category and records each call's batch size."""

    name = "counting"

    def __init__(self) -> None:
        self.batch_sizes: list[int] = []

    async def classify(
        self, papers: Sequence[Paper], taxonomy: Taxonomy
    ) -> list[CategoryAssignment]:
        self.batch_sizes.append(len(papers))
        return [CategoryAssignment(taxonomy.categories[0].name, 1.0) for _ in papers]


async def test_a_job_of_5_papers_is_classified_in_batches_of_2_2_and_1(
    client_factory: ClientFactory, papers_dir: Path
) -> None:
    """With classify_batch_size=2, the classifier is called three times, with 2, 2 and 1
    papers, and every paper gets its answer."""
    classifier = CountingClassifier()

    def factory(settings: Settings) -> CountingClassifier:
        assert settings.classify_batch_size == 2
        return classifier

    client = await client_factory(classifier_factory=factory, classify_batch_size=2)
    await asyncio.to_thread(write_papers, papers_dir, 5)

    job = await client.folder_job(papers_dir)
    finished = await client.wait_until_finished(job["id"])

    assert finished["status"] == "completed"
    assert finished["classifier"] == "counting"
    assert classifier.batch_sizes == [2, 2, 1]
    papers = await client.papers(job["id"])
    assert len(papers) == 5
    assert all(paper["category_score"] == 1.0 for paper in papers)


async def test_a_job_larger_than_a_page_extracts_and_classifies_every_file_once(
    client_factory: ClientFactory, papers_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files and papers are read a page at a time (pages of 2 here): all 7 files are read,
    each once, in order, and every paper is classified, a batch per page's remainder."""
    monkeypatch.setattr(phases, "FILES_PAGE", 2)
    monkeypatch.setattr(phases, "CLASSIFY_PAGE", 2)
    classifier = CountingClassifier()
    client = await client_factory(classifier_factory=lambda _: classifier, classify_batch_size=5)
    await asyncio.to_thread(write_papers, papers_dir, 7)

    job = await client.folder_job(papers_dir)
    finished = await client.wait_until_finished(job["id"])

    assert finished["status"] == "completed"
    assert finished["progress"]["files_done"] == finished["progress"]["papers"] == 7
    files = (await client.http.get(f"/api/jobs/{job['id']}/files")).json()
    assert [f["state"] for f in files] == ["done"] * 7
    assert classifier.batch_sizes == [2, 2, 2, 1]
    papers = await client.papers(job["id"])
    assert sorted(p["file_name"] for p in papers) == sorted(f["file_name"] for f in files)
    assert all(paper["category_score"] == 1.0 for paper in papers)
