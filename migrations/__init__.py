"""Alembic scripts; installed as catalogsvc.migrations."""
