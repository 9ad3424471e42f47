"""`make bench`: figures for docs/PERFORMANCE.md, measured on PostgreSQL (see run.py)."""
