"""Incremental builds: what each job depends on, what the last build wrote, the caches."""
