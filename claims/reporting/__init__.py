"""What leaves the workbench: the report builder and its formats, report files prepared in
the background, pseudonyms, and whole-investigation transfer (export and import)."""
