"""Import the modules that register demo steps (one line per feature)."""
