"""Safety pages, by sub-domain: hazards.py, inspections.py."""
