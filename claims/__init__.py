"""The verification domain: investigations, sources, claims, evidence, verdicts, reports."""
