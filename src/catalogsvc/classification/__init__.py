"""Assigning papers to categories: the offline classifier and its data, and the LLM one."""
