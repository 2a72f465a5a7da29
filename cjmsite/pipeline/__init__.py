"""One pipeline for build and serve: files -> parsed -> journeys -> page jobs."""
