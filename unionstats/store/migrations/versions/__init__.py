"""Migration scripts, oldest first (0001 frozen as released)."""
