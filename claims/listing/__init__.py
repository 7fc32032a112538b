"""Finding claims fast: the review queues, cached counts, search and the page cache."""
