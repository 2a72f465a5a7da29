"""`cjmsite lint`: CX rules over a validated site (rules.RULES; docs/managing-journeys.md)."""
