"""Built-in taxonomies and the validation of the taxonomy a job asks for."""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from pydantic import ValidationError

from catalogsvc.domain import Category, Taxonomy
from catalogsvc.errors import InvalidTaxonomy

UNCATEGORIZED = "Uncategorized"
# The group of papers a job stopped before classifying (the classifier's own fallback is
# UNCATEGORIZED): named as the web app names it, and listed last.
NOT_CLASSIFIED = "Not classified yet"
CUSTOM_TAXONOMY_NAME = "custom"
MAX_CATEGORIES = 200

ARXIV_TAXONOMY = Taxonomy(
    name="arxiv",
    categories=[
        Category(
            name="cs",
            description="Computer Science: algorithms, software, systems, networks, "
            "machine learning, artificial intelligence, computer vision and language",
        ),
        Category(
            name="math",
            description="Mathematics: algebra, analysis, geometry, topology, number theory, "
            "combinatorics, probability and differential equations",
        ),
        Category(
            name="math-ph",
            description="Mathematical Physics: rigorous mathematical methods for physical "
            "theories, operators, integrable systems and quantum fields",
        ),
        Category(
            name="astro-ph",
            description="Astrophysics: galaxies, stars, planets, cosmology, telescopes "
            "and high-energy astrophysical phenomena",
        ),
        Category(
            name="cond-mat",
            description="Condensed Matter: solids, materials, superconductivity, magnetism, "
            "soft matter, quantum gases and statistical mechanics",
        ),
        Category(
            name="quant-ph",
            description="Quantum Physics: quantum information, computing, entanglement, "
            "quantum optics and foundations of quantum mechanics",
        ),
        Category(
            name="physics",
            description="Physics: optics, fluid dynamics, plasma, atomic, chemical, "
            "biological, applied and computational physics",
        ),
        Category(
            name="gr-qc",
            description="General Relativity and Quantum Cosmology: gravitation, black holes, "
            "gravitational waves and spacetime",
        ),
        Category(
            name="hep",
            description="High Energy Physics: particle physics phenomenology, experiments, "
            "lattice field theory and string theory",
        ),
        Category(
            name="nucl",
            description="Nuclear Physics: nuclear structure, nuclear reactions, heavy-ion "
            "collisions and nuclear experiments",
        ),
        Category(
            name="nlin",
            description="Nonlinear Sciences: chaos, solitons, pattern formation, "
            "self-organisation and nonlinear dynamical systems",
        ),
        Category(
            name="eess",
            description="Electrical Engineering and Systems Science: signal, image and audio "
            "processing, control systems and communications",
        ),
        Category(
            name="q-bio",
            description="Quantitative Biology: genomics, neurons, populations, molecular "
            "networks and evolution studied with quantitative methods",
        ),
        Category(
            name="q-fin",
            description="Quantitative Finance: financial markets, pricing, portfolio and risk "
            "management, trading and financial economics",
        ),
        Category(
            name="stat",
            description="Statistics: statistical methodology, inference, estimation, "
            "regression, Bayesian methods and statistical learning",
        ),
        Category(
            name="econ",
            description="Economics: econometrics, theoretical and general economics, "
            "markets, policy and economic behaviour",
        ),
    ],
)

RESEARCH_FIELDS_TAXONOMY = Taxonomy(
    name="research-fields",
    categories=[
        Category(
            name="Computer Science",
            description="Algorithms, software, programming languages, systems, networks, "
            "security, databases and human-computer interaction",
        ),
        Category(
            name="Artificial Intelligence",
            description="Machine learning, neural networks, deep learning, reinforcement "
            "learning, computer vision and natural language processing",
        ),
        Category(
            name="Mathematics",
            description="Algebra, analysis, geometry, topology, number theory, combinatorics, "
            "probability and proofs of theorems",
        ),
        Category(
            name="Statistics",
            description="Statistical inference, estimation, regression, Bayesian methods, "
            "experimental design and data analysis",
        ),
        Category(
            name="Physics",
            description="Quantum mechanics, particles, condensed matter, optics, fluids, "
            "plasma, relativity and theoretical physics",
        ),
        Category(
            name="Astronomy",
            description="Astrophysics, cosmology, galaxies, stars, planets, telescopes "
            "and observations of the sky",
        ),
        Category(
            name="Chemistry",
            description="Molecules, reactions, synthesis, catalysis, spectroscopy, materials "
            "chemistry and analytical chemistry",
        ),
        Category(
            name="Materials Science",
            description="Properties and design of materials, crystals, alloys, polymers, "
            "semiconductors and nanomaterials",
        ),
        Category(
            name="Biology",
            description="Cells, genes, genomics, proteins, molecular biology, evolution, "
            "microbiology and organisms",
        ),
        Category(
            name="Medicine",
            description="Clinical research, patients, diseases, treatment, epidemiology, "
            "public health, cancer and cardiovascular medicine",
        ),
        Category(
            name="Neuroscience",
            description="The brain, neurons, neural circuits, cognition, perception "
            "and computational neuroscience",
        ),
        Category(
            name="Ecology",
            description="Species, populations, ecosystems, biodiversity, habitats, "
            "conservation and environmental change",
        ),
        Category(
            name="Earth Sciences",
            description="Geology, geophysics, climate, atmosphere, oceans, hydrology, "
            "earthquakes and remote sensing",
        ),
        Category(
            name="Engineering",
            description="Electrical, mechanical, civil and control engineering, signal "
            "processing, robotics and communications",
        ),
        Category(
            name="Economics",
            description="Markets, finance, econometrics, game theory, trade, firms, labour "
            "and economic policy",
        ),
        Category(
            name="Social Sciences",
            description="Sociology, political science, law, demography, communication and society",
        ),
        Category(
            name="Psychology",
            description="Behaviour, mind, emotion, personality, mental health and "
            "cognitive psychology",
        ),
        Category(
            name="Education",
            description="Teaching, learning, students, curricula, courses, schools and "
            "educational technology",
        ),
        Category(
            name="Humanities",
            description="History, philosophy, literature, languages, linguistics, arts "
            "and religion",
        ),
    ],
)

DEFAULT_TAXONOMY_NAME = RESEARCH_FIELDS_TAXONOMY.name

BUILTIN_TAXONOMIES: Mapping[str, Taxonomy] = MappingProxyType(
    {taxonomy.name: taxonomy for taxonomy in (RESEARCH_FIELDS_TAXONOMY, ARXIV_TAXONOMY)}
)


def resolve_taxonomy(value: str | list[Category] | list[dict[str, Any]] | None) -> Taxonomy:
    """Turn what a request says about its taxonomy into a validated Taxonomy."""
    if value is None:
        return BUILTIN_TAXONOMIES[DEFAULT_TAXONOMY_NAME]
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return BUILTIN_TAXONOMIES[DEFAULT_TAXONOMY_NAME]
        if not text.startswith(("[", "{")):
            return _builtin_taxonomy(text)
        return _custom_taxonomy(_parse_json_list(text))
    return _custom_taxonomy(value)


def _builtin_taxonomy(name: str) -> Taxonomy:
    taxonomy = BUILTIN_TAXONOMIES.get(name)
    if taxonomy is None:
        known = ", ".join(sorted(BUILTIN_TAXONOMIES))
        raise InvalidTaxonomy(
            f"Unknown taxonomy {name!r}: use one of {known}, "
            'or a JSON list of {"name", "description"} objects'
        )
    return taxonomy


def _parse_json_list(text: str) -> list[Any]:
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidTaxonomy(f"The taxonomy is not valid JSON: {error.msg}") from error
    except RecursionError as error:
        raise InvalidTaxonomy(
            "The taxonomy is nested too deeply to be a list of categories"
        ) from error
    except ValueError as error:  # e.g. a number of more than 4300 digits
        raise InvalidTaxonomy(f"The taxonomy is not valid JSON: {error}") from error
    if not isinstance(parsed, list):
        raise InvalidTaxonomy('The taxonomy must be a JSON list of {"name", "description"} objects')
    return parsed


def _custom_taxonomy(items: list[Any]) -> Taxonomy:
    if not items:
        raise InvalidTaxonomy("The taxonomy has no categories")
    if len(items) > MAX_CATEGORIES:
        raise InvalidTaxonomy(
            f"The taxonomy has {len(items)} categories, more than the {MAX_CATEGORIES} allowed"
        )
    categories = [_category(position, item) for position, item in enumerate(items, start=1)]
    seen: set[str] = set()
    for category in categories:
        key = category.name.casefold()
        if key in seen:
            raise InvalidTaxonomy(f"The category name {category.name!r} appears more than once")
        seen.add(key)
    return Taxonomy(name=CUSTOM_TAXONOMY_NAME, categories=categories)


def _category(position: int, item: Any) -> Category:
    if isinstance(item, Category):
        candidate: Any = item.model_dump()
    elif isinstance(item, str):
        candidate = {"name": item}
    else:
        candidate = item
    if not isinstance(candidate, dict):
        raise InvalidTaxonomy(f'Category {position} must be an object with "name"')
    name = candidate.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InvalidTaxonomy(f"Category {position} has a blank name")
    description = candidate.get("description") or ""
    try:
        return Category(name=name.strip(), description=str(description).strip())
    except ValidationError as error:
        first = error.errors()[0]
        raise InvalidTaxonomy(f"Category {position} ({name.strip()!r}): {first['msg']}") from error


def assignable_categories(taxonomy: Taxonomy) -> set[str]:
    """The categories a paper of a job of this taxonomy may have: its own and UNCATEGORIZED."""
    return {category.name for category in taxonomy.categories} | {UNCATEGORIZED}
