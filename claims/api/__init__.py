"""The REST API under /api/v1/: another door to the domain, beside the pages and commands."""
