"""Split a "Given Family" author string into the parts citation formats need."""

from __future__ import annotations

from dataclasses import dataclass

# Lowercase-insensitive inside a name ("Guido Van Rossum"), but a capitalised first token
# stays a given name, so "Di Wu" and "Le Song" keep their family names.
FAMILY_PARTICLES = frozenset({"van", "von", "de", "da", "del", "der", "di", "le", "la"})
NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person's name split as BibTeX, CSL and RIS want it."""

    given: str
    family: str
    suffix: str = ""


def split_person_name(full_name: str) -> PersonName:
    """Read "Given [particles] Family [Jr.]" or the already inverted "Family, Given"."""
    if "," in full_name:
        return _split_inverted_name(full_name)
    tokens = full_name.split()
    suffix = ""
    if len(tokens) > 2 and tokens[-1].casefold() in NAME_SUFFIXES:
        suffix = tokens.pop()
    if len(tokens) <= 1:
        return PersonName(given="", family=" ".join(tokens), suffix=suffix)
    family_start = len(tokens) - 1
    for index, token in enumerate(tokens[:-1]):
        is_particle = (
            token in FAMILY_PARTICLES if index == 0 else token.casefold() in FAMILY_PARTICLES
        )
        if is_particle:
            family_start = index
            break
    return PersonName(
        given=" ".join(tokens[:family_start]),
        family=" ".join(tokens[family_start:]),
        suffix=suffix,
    )


def _split_inverted_name(full_name: str) -> PersonName:
    parts = [" ".join(part.split()) for part in full_name.split(",")]
    if len(parts) == 2:
        return PersonName(given=parts[1], family=parts[0])
    return PersonName(given=" ".join(parts[2:]), family=parts[0], suffix=parts[1])
