"""Ranked, typo-tolerant full-text search over the published articles."""
