"""Persistence: SQLModel tables, the engine, and the repository over them."""
