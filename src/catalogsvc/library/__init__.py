"""Papers across jobs: what a user reads and corrects."""
