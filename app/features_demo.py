"""Import the modules that register demo steps (one line per feature)."""
import app.complaints.demo  # noqa: F401
import app.health.demo  # noqa: F401
import app.meetings.demo  # noqa: F401
import app.notify.demo  # noqa: F401
import app.plans.demo  # noqa: F401
import app.profile.demo  # noqa: F401
import app.reviews.demo  # noqa: F401
import app.search.demo  # noqa: F401
import app.selection.demo  # noqa: F401
import app.stakeholders.demo  # noqa: F401,E402
