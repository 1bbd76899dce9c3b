"""The job pipeline: extract, classify, catalog."""
