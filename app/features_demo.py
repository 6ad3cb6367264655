"""Import the modules that register demo steps (one line per feature)."""
import app.selection.demo  # noqa: F401
