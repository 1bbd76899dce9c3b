"""Optional enrichment of extracted papers from the scholarly registries (Crossref, OpenAlex)."""
