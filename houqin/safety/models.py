"""Campus safety: inspections, the hazard register, agreements, drills, notices, patrols, cameras."""
