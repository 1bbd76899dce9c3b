"""Jobs: status transitions, the runner of job tasks, and the service the API calls."""
