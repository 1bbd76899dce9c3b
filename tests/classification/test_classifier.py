"""The offline classifier: trained for the arXiv archives, zero-shot for any other taxonomy."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest
from scripts.labelled_arxiv import balanced_sample, read_labelled, split_train_test

from catalogsvc.classification.classifier import CLASSIFIER_DATA, Classifier, OfflineClassifier
from catalogsvc.classification.text_features import paper_text
from catalogsvc.domain import Category, CategoryAssignment, Paper, Taxonomy
from catalogsvc.taxonomies import BUILTIN_TAXONOMIES, UNCATEGORIZED, resolve_taxonomy

LABELLED = Path(__file__).resolve().parents[2].parent / "shared" / "labelled" / "arxiv.jsonl"
ARXIV = BUILTIN_TAXONOMIES["arxiv"]
FIELDS = BUILTIN_TAXONOMIES["research-fields"]

ASTRO = (
    "Dark matter haloes of spiral galaxies",
    "We observe rotation curves of nearby galaxies with a radio telescope and fit the stellar "
    "and dark matter mass profiles; the haloes are rounder than the stellar discs.",
)
LEARNING = (
    "Deep residual learning for image recognition",
    "We train very deep convolutional neural networks on ImageNet and show that residual "
    "connections ease the optimisation of the network and improve classification accuracy.",
)
GEOMETRY = (
    "Curvature bounds for minimal hypersurfaces",
    "We prove that every complete stable minimal hypersurface in a Riemannian manifold with "
    "nonnegative curvature is totally geodesic, extending a theorem on the Bernstein problem.",
)
ALGORITHMS = (
    "An approximation algorithm for graph partitioning",
    "We give a polynomial-time approximation algorithm for the NP-hard problem of partitioning "
    "a graph, with a logarithmic approximation ratio and a matching hardness result.",
)
CARDIOLOGY = (
    "Onset age of breast cancer and incident myocardial infarction",
    "In a cohort of patients from a national biobank, earlier onset of breast cancer was "
    "associated with a higher risk of myocardial infarction and heart failure.",
)


def paper(number: int, title: str | None, abstract: str | None) -> Paper:
    return Paper(
        id=number,
        job_id="job",
        file_name=f"{number}.pdf",
        sha256=f"{number:064x}",
        pages=1,
        title=title,
        abstract=abstract,
    )


@pytest.fixture(scope="module")
def classifier() -> OfflineClassifier:
    return OfflineClassifier()


def test_the_offline_classifier_is_a_classifier_named_offline() -> None:
    classifier: Classifier = OfflineClassifier()
    assert classifier.name == "offline"


def test_the_models_ship_inside_the_package_and_stay_small() -> None:
    for name in ("arxiv_model.npz", "concepts.npz"):
        model = Path(str(CLASSIFIER_DATA / name))
        assert model.is_file()
        assert model.stat().st_size < 3_000_000


@pytest.mark.parametrize("taxonomy", [ARXIV, FIELDS], ids=["trained", "zero-shot"])
async def test_one_valid_category_per_paper_in_order(
    classifier: OfflineClassifier, taxonomy: Taxonomy
) -> None:
    papers = [paper(n, *text) for n, text in enumerate([ASTRO, LEARNING, GEOMETRY, ASTRO])]
    assignments = await classifier.classify(papers, taxonomy)
    allowed = {category.name for category in taxonomy.categories} | {UNCATEGORIZED}
    assert len(assignments) == len(papers)
    assert all(a.category in allowed and 0.0 <= a.score <= 1.0 for a in assignments)
    assert assignments[0] == assignments[3]


async def test_no_papers_get_no_assignments(classifier: OfflineClassifier) -> None:
    assert await classifier.classify([], FIELDS) == []


async def test_the_trained_model_puts_obvious_papers_in_their_archive(
    classifier: OfflineClassifier,
) -> None:
    papers = [paper(1, *ASTRO), paper(2, *ALGORITHMS), paper(3, *GEOMETRY)]
    assignments = await classifier.classify(papers, ARXIV)
    assert [a.category for a in assignments] == ["astro-ph", "cs", "math"]
    assert assignments[0].score > 0.5


async def test_zero_shot_puts_obvious_papers_in_their_field(
    classifier: OfflineClassifier,
) -> None:
    papers = [paper(n, *text) for n, text in enumerate([ASTRO, LEARNING, GEOMETRY, CARDIOLOGY])]
    assignments = await classifier.classify(papers, FIELDS)
    assert [a.category for a in assignments] == [
        "Astronomy",
        "Artificial Intelligence",
        "Mathematics",
        "Medicine",
    ]


async def test_zero_shot_reads_a_custom_taxonomy_by_names_alone(
    classifier: OfflineClassifier,
) -> None:
    taxonomy = resolve_taxonomy(
        '[{"name": "Galaxies"}, {"name": "Neural networks"}, {"name": "Cardiology"}]'
    )
    papers = [paper(1, *CARDIOLOGY), paper(2, *ASTRO), paper(3, *LEARNING)]
    assignments = await classifier.classify(papers, taxonomy)
    assert [a.category for a in assignments] == ["Cardiology", "Galaxies", "Neural networks"]


@pytest.mark.parametrize("taxonomy", [ARXIV, FIELDS], ids=["trained", "zero-shot"])
async def test_papers_without_telling_words_are_uncategorized(
    classifier: OfflineClassifier, taxonomy: Taxonomy
) -> None:
    papers = [paper(1, None, None), paper(2, "Zqxv blorft", "Wuggle frabnitz quorp.")]
    assignments = await classifier.classify(papers, taxonomy)
    assert [a.category for a in assignments] == [UNCATEGORIZED, UNCATEGORIZED]


async def test_weak_evidence_is_uncategorized_below_the_threshold() -> None:
    """A paper that shares only a faint, generic signal with every category stays out."""
    strict = OfflineClassifier(min_similarity=0.99)
    taxonomy = Taxonomy(
        name="custom", categories=[Category(name="Botany"), Category(name="Geology")]
    )
    [assignment] = await strict.classify([paper(1, *LEARNING)], taxonomy)
    assert assignment.category == UNCATEGORIZED


async def test_classification_runs_off_the_event_loop_thread() -> None:
    threads: list[threading.Thread] = []

    class RecordingClassifier(OfflineClassifier):
        def classify_texts(
            self, texts: Sequence[str], taxonomy: Taxonomy
        ) -> list[CategoryAssignment]:
            threads.append(threading.current_thread())
            return super().classify_texts(texts, taxonomy)

    await RecordingClassifier().classify([paper(1, *ASTRO)], FIELDS)
    assert threads and threads[0] is not threading.current_thread()


@pytest.fixture(scope="module")
def held_out_sample() -> list[tuple[str, str, str]]:
    if not LABELLED.exists():
        pytest.skip(f"labelled arXiv papers not found at {LABELLED} (needs ../shared/labelled)")
    _, test = split_train_test(read_labelled(LABELLED))
    return [(p.title, p.abstract, p.archive) for p in balanced_sample(test, 30)]


async def test_archive_accuracy_on_held_out_labelled_papers(
    classifier: OfflineClassifier, held_out_sample: list[tuple[str, str, str]]
) -> None:
    """Papers of the test split, never trained on: 30 per archive, fewer where arXiv has few."""
    papers = [paper(n, title, abstract) for n, (title, abstract, _) in enumerate(held_out_sample)]
    truth = [archive for _, _, archive in held_out_sample]
    trained = await classifier.classify(papers, ARXIV)
    texts = [paper_text(title, abstract) for title, abstract, _ in held_out_sample]
    zero_shot = await asyncio.to_thread(classifier.classify_zero_shot, texts, ARXIV)
    assert accuracy(trained, truth) >= 0.74
    assert accuracy(zero_shot, truth) >= 0.58


def accuracy(assignments: Sequence[CategoryAssignment], truth: Sequence[str]) -> float:
    return sum(a.category == t for a, t in zip(assignments, truth, strict=True)) / len(truth)
