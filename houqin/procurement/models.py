"""Purchasing: suppliers, purchase requests, quotes, approval, acceptance and goods received."""
