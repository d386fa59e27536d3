"""Models of the health module."""
