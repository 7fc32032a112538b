"""Lining claims up across sources: the same measure's figures compared between sources."""
