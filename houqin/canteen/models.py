"""Models of the canteen module."""
