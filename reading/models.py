"""Models of the reading app."""
