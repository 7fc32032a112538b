"""Data for development, demos and benchmarks: the demo investigation and synthetic
investigations of any size. Management commands use these; pages never do."""
