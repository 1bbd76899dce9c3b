"""The HTTP API: routes per resource, dependencies, schemas, and the error mapping."""
