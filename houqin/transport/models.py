"""Models of the transport module."""
