"""A claim's life under review: the workflow state machine, verdicts with four eyes and
their signed content, editing, bulk changes, mentions, history and the hash-chained audit log."""
