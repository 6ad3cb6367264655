"""How a hit is shown: its group's name, its heading, its link, its snippet."""
from flask import url_for

from app.search.text import highlight, snippet
from app.translate import lazy_gettext as _l

GROUP_LABELS = {
    "account": _l("Accounts"),
    "contact": _l("Contacts"),
    "department": _l("Departments"),
    "complaint": _l("Complaints"),
    "meeting": _l("Meetings"),
    "objective": _l("Objectives"),
    "action": _l("Actions"),
    "business": _l("Plan: the customer's business"),
    "position": _l("Plan: our position"),
    "swot": _l("Plan: SWOT"),
    "checkin": _l("Check-in notes"),
    "interaction": _l("Interaction notes"),
}
NOTE_HEADINGS = {
    "business": _l("Customer's business"),
    "position": _l("Our position"),
    "checkin": _l("Check-in note"),
}


def heading(hit, terms):
    """The hit's heading, escaped and highlighted (notes get a label and their date)."""
    from app.plans.vocab import SWOT
    from app.stakeholders.models import INTERACTION_KINDS

    if hit.title:
        return highlight(hit.title, terms)
    if hit.kind == "swot":
        quadrant, _, year = hit.extra.partition("|")
        return f"{SWOT.label(quadrant)} · {year}"
    if hit.kind == "interaction":
        kind, _, day = hit.extra.partition("|")
        return f"{INTERACTION_KINDS.label(kind)} · {day}"
    label = NOTE_HEADINGS.get(hit.kind, "")
    return f"{label} · {hit.extra}" if hit.extra else str(label)


def badge(hit):
    """A short state beside the heading: a contact who left, a plan's year, a complaint's status."""
    from app.complaints.models import STATUSES
    from app.stakeholders.models import CONTACT_STATUS

    if hit.kind == "contact" and hit.extra == "left":
        return CONTACT_STATUS.label("left")
    if hit.kind == "complaint":
        return STATUSES.label(hit.extra)
    if hit.kind in ("meeting", "objective"):
        return hit.extra
    return ""


def link(hit):
    a = hit.account_id
    k = hit.kind
    if k == "account":
        return url_for("accounts.overview", account_id=a)
    if k == "contact":
        return url_for("stakeholders.contact", account_id=a, contact_id=hit.object_id)
    if k == "department":
        return url_for("stakeholders.department", account_id=a, department_id=hit.object_id)
    if k == "complaint":
        return url_for("complaints.show", account_id=a, complaint_id=hit.object_id)
    if k == "meeting":
        return url_for("meetings.show", account_id=a, meeting_id=hit.object_id)
    if k == "interaction":
        return url_for("stakeholders.interactions", account_id=a) + f"#touch-{hit.object_id}"
    if k == "action" and hit.extra == "meeting" and hit.parent_id:
        return url_for("meetings.show", account_id=a, meeting_id=hit.parent_id)
    if k in ("objective", "action", "business", "position", "swot") and hit.parent_id:
        anchor = {"objective": f"objective-{hit.object_id}", "action": f"plan-action-{hit.object_id}",
                  "business": "plan-business", "position": "plan-position",
                  "swot": f"swot-{hit.object_id}"}[k]
        return url_for("plans.show", account_id=a, plan_id=hit.parent_id) + "#" + anchor
    return url_for("accounts.overview", account_id=a)


def excerpt(hit, terms):
    return snippet(hit.body, terms)


HELPERS = dict(search_heading=heading, search_badge=badge, search_link=link, search_excerpt=excerpt,
               search_group_label=lambda kind: GROUP_LABELS.get(kind, kind))
