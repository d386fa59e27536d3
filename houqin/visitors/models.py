"""The gate: visitor register, staff going-out register, asset gate passes."""
