"""Running calls: the one pipeline every caller uses, and what it records."""
