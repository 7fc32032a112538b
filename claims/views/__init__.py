"""Thin HTTP views, one module per page; each hands the domain's results to a template."""
