"""Survey responses: read, checked and computed into metrics (see docs/surveys.md)."""
