"""Models of the archive app."""
