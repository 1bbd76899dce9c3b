"""Training-only code: builds the offline classifier's data; never shipped."""
