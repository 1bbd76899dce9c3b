"""One renderer per catalog format, over papers already grouped by category."""
