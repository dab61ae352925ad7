"""CLI commands `crawl` and `import` (filled in by the ingest work)."""
