"""Import every feature's models so metadata (and Alembic) sees all tables."""
from app.accounts.models import Account  # noqa: F401
from app.actions.models import ActionItem  # noqa: F401
from app.audit.models import AuditEvent  # noqa: F401
from app.auth.models import User  # noqa: F401
from app.complaints.models import Complaint, ComplaintChannel, ComplaintEvent  # noqa: F401
from app.health.models import CheckInNote, HealthSnapshot, HealthWeight, HomeSeen  # noqa: F401
from app.jobs.models import SentRecord  # noqa: F401
from app.meetings.models import ExecutiveCadence, Meeting  # noqa: F401
from app.notify.models import Notification, NotifyPreference, WebhookTarget  # noqa: F401
from app.plans.models import BusinessSection, Objective, Opportunity, Plan, PositionSection, SwotItem  # noqa: F401
from app.profile.models import WorkspaceSetting  # noqa: F401
from app.reviews.models import ExportJob, FinalReview, ReviewNote  # noqa: F401
from app.search.models import SearchDoc  # noqa: F401
from app.selection.models import Criterion, Score, SelectionDecision, SelectionSettings, StageChange  # noqa: F401
from app.stakeholders.models import Contact, Coverage, Department, Interaction  # noqa: F401
from app.team.models import Membership  # noqa: F401
