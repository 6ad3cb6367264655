"""Import every feature's models so metadata (and Alembic) sees all tables."""
from app.accounts.models import Account  # noqa: F401
from app.actions.models import ActionItem  # noqa: F401
from app.audit.models import AuditEvent  # noqa: F401
from app.auth.models import User  # noqa: F401
from app.plans.models import BusinessSection, Objective, Opportunity, Plan, PositionSection, SwotItem  # noqa: F401
from app.stakeholders.models import Contact, Department  # noqa: F401
from app.team.models import Membership  # noqa: F401
