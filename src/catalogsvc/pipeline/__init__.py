"""The job pipeline: its phases (extract, classify, catalog), their order, and JobContext."""
