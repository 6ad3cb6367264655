"""Import the modules that register demo steps (one line per feature)."""
import app.stakeholders.demo  # noqa: F401,E402
