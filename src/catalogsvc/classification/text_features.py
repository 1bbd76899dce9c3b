"""Tokens of a paper's title and abstract, shared by the classifiers and their training."""

from __future__ import annotations

import itertools
import re

_LATEX_COMMAND = re.compile(r"\\[a-zA-Z]+")
_WORD = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")

_STOPWORD_TEXT = """
    a about above after again against all also an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having here how however i if in into is it its itself just more most
    much no nor not now of off on once only or other our out over own same several she should
    so some such than that the their them then there these they this those through to too
    under until up upon use used using very via was we were what when where which while who
    whom why will with within without would you your paper study article present show shown
    propose proposed results result new based approach method methods work also one two three
    first second well may might must many given thus however therefore hence e.g i.e et al
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def stem(word: str) -> str:
    """Fold the commonest English inflections so that 'galaxies' meets 'galaxy'."""
    if len(word) <= 4:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "os")):
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Lower-case stemmed content words of a text, LaTeX commands and stopwords dropped."""
    text = _LATEX_COMMAND.sub(" ", text).lower()
    return [stem(w) for w in _WORD.findall(text) if len(w) > 1 and w not in STOPWORDS]


def text_terms(text: str) -> list[str]:
    """The tokens of a text and its adjacent token pairs, the features the models weigh."""
    words = tokenize(text)
    return words + [f"{left}_{right}" for left, right in itertools.pairwise(words)]


def paper_text(title: str | None, abstract: str | None) -> str:
    """The text a classifier reads: the title twice, since it is the densest evidence."""
    title = (title or "").strip()
    return f"{title}. {title}. {(abstract or '').strip()}"
