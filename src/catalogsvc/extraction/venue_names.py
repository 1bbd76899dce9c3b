"""Venue names as people write them: tidied, abbreviations spelled out, conference acronyms."""

from __future__ import annotations

import re

# Abbreviations printed in running heads, as the journals spell themselves out.
_ABBREVIATIONS = {
    "prl": "Physical Review Letters",
    "phys rev lett": "Physical Review Letters",
    "phys rev": "Physical Review",
    "pnas": "Proceedings of the National Academy of Sciences",
    "proc natl acad sci usa": "Proceedings of the National Academy of Sciences",
    "mon not r astron soc": "Monthly Notices of the Royal Astronomical Society",
    "mnras": "Monthly Notices of the Royal Astronomical Society",
    "jacs": "Journal of the American Chemical Society",
    "j am chem soc": "Journal of the American Chemical Society",
    "apj": "The Astrophysical Journal",
    "jmlr": "Journal of Machine Learning Research",
}
# Conference series known by their acronym (in file names such as "aistats2007-ibpsb.dvi").
_CONFERENCES = {
    "aistats": "Proceedings of the International Conference on Artificial Intelligence and "
    "Statistics (AISTATS)",
    "neurips": "Advances in Neural Information Processing Systems (NeurIPS)",
    "nips": "Advances in Neural Information Processing Systems (NIPS)",
    "icml": "Proceedings of the International Conference on Machine Learning (ICML)",
    "iclr": "International Conference on Learning Representations (ICLR)",
    "colt": "Proceedings of the Conference on Learning Theory (COLT)",
    "uai": "Proceedings of the Conference on Uncertainty in Artificial Intelligence (UAI)",
    "cvpr": "Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition (CVPR)",
    "iccv": "Proceedings of the IEEE International Conference on Computer Vision (ICCV)",
    "eccv": "Proceedings of the European Conference on Computer Vision (ECCV)",
    "emnlp": "Proceedings of the Conference on Empirical Methods in Natural Language "
    "Processing (EMNLP)",
    "naacl": "Proceedings of the Conference of the North American Chapter of the Association "
    "for Computational Linguistics (NAACL)",
    "kdd": "Proceedings of the ACM SIGKDD Conference on Knowledge Discovery and Data Mining (KDD)",
    "sigir": "Proceedings of the International ACM SIGIR Conference on Research and "
    "Development in Information Retrieval (SIGIR)",
    "aaai": "Proceedings of the AAAI Conference on Artificial Intelligence (AAAI)",
    "ijcai": "Proceedings of the International Joint Conference on Artificial Intelligence (IJCAI)",
}
_ACRONYMS = "|".join(_CONFERENCES)
# "aistats_10.dvi", "aistats2007-ibpsb.dvi", "trackingAISTATS07.dvi"
_ACRONYM_IN_NAME = re.compile(
    rf"(?<![a-z])(?:{_ACRONYMS})(?![a-z])|(?<![A-Z])(?:{_ACRONYMS.upper()})(?![A-Z])"
)
_VENUE_WORDS = re.compile(
    r"\b(?:journal|proceedings|review|reviews|letters|transactions|annals|bulletin|research"
    r"|practice|reports|science|sciences|nature|conference|workshop|symposium|quarterly"
    r"|magazine|studies|advances|acta|archives|education|physics|medicine|med|communications)\b"
    r"|\b(?:j|proc|trans|sci|med|phys|rev|lett|univ)\.",
    re.IGNORECASE,
)
_LEADING_CITATION = re.compile(
    r"^(?:.*\bet al\.?,?\s*(?:\(\d{4}\)\.?)?\s*|[A-Z][a-z]{4,}\.\s+(?=[^\s.]+(?:\s|$)))"
)
_SMALL_WORDS = {"of", "and", "the", "in", "on", "for", "to", "a", "an", "at", "de", "des", "du"}


def tidy_venue(raw: str) -> str:
    """A venue as a citation would print it: no citing author in front, no shouting."""
    name = re.sub(r"\s+", " ", raw).strip(" ,.;:-\u2013")
    name = _LEADING_CITATION.sub("", name).strip(" ,.;:-\u2013")
    if name.isupper() and len(name) > 6:
        words = name.lower().split()
        name = " ".join(
            word if word in _SMALL_WORDS and index else word.capitalize()
            for index, word in enumerate(words)
        )
    return name


def expand_abbreviation(name: str) -> str:
    key = re.sub(r"[^a-z ]", "", name.lower()).strip()
    key = re.sub(r"\s+", " ", key)
    return _ABBREVIATIONS.get(key, name)


def conference_from_acronym(file_name: str) -> str | None:
    """The series a file name's conference acronym stands for, e.g. "aistats_10.dvi"."""
    match = _ACRONYM_IN_NAME.search(file_name)
    return _CONFERENCES[match[0].lower()] if match else None


def looks_like_venue(name: str, *, strict: bool) -> bool:
    """Whether a phrase can be a venue's name, written in title case; strict asks for a
    venue word in it too ("Journal", "Review", "Proc.", …)."""
    if not 2 <= len(name) <= 160 or not re.search(r"[A-Za-z]{2}", name):
        return False
    words = name.split()
    if len(words) > 16 or re.search(r"\bet al\b|https?:|www\.|@|\d{3,}", name):
        return False
    if expand_abbreviation(name) != name or name in _ABBREVIATIONS.values():
        return True
    return _mostly_capitalised(words) and (not strict or bool(_VENUE_WORDS.search(name)))


def _mostly_capitalised(words: list[str]) -> bool:
    """Venues are written in title case: few small lower-case words between capitals."""
    lower = [word for word in words if word[0].islower() and word.lower() not in _SMALL_WORDS]
    return len(lower) <= max(0, len(words) // 4) or (len(words) == 1 and words[0][1:2].isupper())
