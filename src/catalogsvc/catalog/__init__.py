"""The catalog of a job: papers grouped by category, rendered in each format."""
