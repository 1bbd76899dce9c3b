"""Packages: everything under src/, and the top-level Alembic scripts (migrations/, beside
alembic.ini) shipped as catalogsvc.migrations so that the installed service migrates its
database at start. The rest of the metadata is in pyproject.toml."""

from setuptools import find_namespace_packages, setup

setup(
    packages=[
        *find_namespace_packages("src", include=["catalogsvc*"], exclude=["*.__pycache__"]),
        "catalogsvc.migrations",
        "catalogsvc.migrations.versions",
    ],
    package_dir={"": "src", "catalogsvc.migrations": "migrations"},
)
