"""Template filters and tags for the workbench's pages."""
