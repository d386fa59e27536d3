"""Models of the security module."""
