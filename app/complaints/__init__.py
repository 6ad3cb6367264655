"""Complaint channels (how the customer reaches us), the complaint log and its status flow."""
from flask import Blueprint

bp = Blueprint("complaints", __name__)

from app.complaints import channel_routes, routes  # noqa: E402,F401


@bp.app_template_filter("hours")
def hours_filter(value):
    """Elapsed hours for people: 0.5 h, 7 h, 3.2 d (two a row on the complaint lists: the
    number pattern and the catalog by the short path)."""
    from app.templating import number
    from app.translate import gettext as _

    if value is None:
        return "—"
    if value >= 48:
        return _("%(n)s d", n=number(round(value / 24, 1)))
    return _("%(n)s h", n=number(round(value, 1)))


@bp.app_context_processor
def inject_helpers():
    """The zone times are typed in (for hints), and labels of the complaint steps."""
    from app.complaints.models import STATUSES, STEP_ACTIONS
    from app.translate import current_timezone

    return {"current_tz": str(current_timezone()), "vocab_status": STATUSES.label,
            "step_label": lambda s: STEP_ACTIONS.get(s, s)}


@bp.app_template_filter("target")
def target_filter(hours):
    """A target in words for the customer's card: "4 hours", "3 days"."""
    from app.translate import ngettext

    if hours and hours >= 48 and hours % 24 == 0:
        return ngettext("%(num)d day", "%(num)d days", hours // 24)
    return ngettext("%(num)d hour", "%(num)d hours", hours or 0)
