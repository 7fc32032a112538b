"""Evidence and archiving: the guarded fetcher, snapshot capture (a background task),
citations of evidence on claims, and publisher ratings."""
