"""Houqin (后勤通): school logistics management."""

__version__ = "0.1.0"
