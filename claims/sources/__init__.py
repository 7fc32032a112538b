"""Testimony in: documents and their text, source import, marking claims (by hand or by
the extractor, run as a background task), the reader and anchoring claims to exact words."""
