"""Journeys over time: revisions read from git, and what changed between two."""
