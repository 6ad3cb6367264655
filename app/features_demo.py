"""Import the modules that register demo steps (one line per feature)."""
import app.plans.demo  # noqa: F401
