"""Reading one PDF: the worker pool, the text-layer readers, and the LLM/vision reader."""
