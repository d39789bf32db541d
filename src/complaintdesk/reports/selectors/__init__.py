"""Read-only queries of the reports (no writes, no services)."""
