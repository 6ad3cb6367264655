"""What the stakeholder templates need: gap sentences with fix links, form choices, contexts."""
from flask import url_for

from app.accounts.sections import register_section
from app.stakeholders import services
from app.stakeholders.gaps import best_levels, is_decision_maker, is_warm
from app.translate import lazy_gettext as _l

FIX_LABELS = {
    "no_exec_owner": _l("Pair an executive"),
    "department_uncovered": _l("Assign someone"),
    "stale_contact": _l("Log a touch"),
    "single_threaded": _l("Review levels"),
    "no_economic_buyer": _l("Mark the economic buyer"),
    "no_coach": _l("Find a coach"),
    "owner_left": _l("Hand it over"),
}


def fix_url(gap, account_id):
    """Where the KAM goes to close a gap."""
    aid = account_id
    if gap.code == "no_exec_owner":
        return url_for("stakeholders.coverage", account_id=aid, target=f"c{gap.subject_id}", _anchor="pair")
    if gap.code == "department_uncovered":
        return url_for("stakeholders.coverage", account_id=aid, target=f"d{gap.subject_id}", _anchor="pair")
    if gap.code == "stale_contact":
        return url_for("stakeholders.interactions", account_id=aid, contact=gap.subject_id, _anchor="log")
    if gap.code == "owner_left":
        return url_for("stakeholders.coverage", account_id=aid, _anchor=f"pairing-{gap.subject_id}")
    if gap.code == "single_threaded":
        return url_for("stakeholders.coverage", account_id=aid, _anchor="pairings")
    return url_for("stakeholders.index", account_id=aid, _anchor="contacts")


def gap_items(smap, account_id):
    """[{sentence, url, label, code}] for the gaps panel."""
    return [{"code": g.code, "sentence": g.sentence, "url": fix_url(g, account_id),
             "label": FIX_LABELS.get(g.code, "")} for g in smap.gaps()]


def department_choices(departments, exclude=None):
    """("", —) then every department, for select fields."""
    return [("", "—")] + [(d.id, d.name) for d in departments if d.id != exclude]


def contact_choices(contacts, exclude=None):
    """("", —) then every active contact, for the reports-to select."""
    return [("", "—")] + [(c.id, f"{c.name} · {c.title}" if c.title else c.name)
                          for c in contacts if c.status == "active" and c.id != exclude]


def owners_by_contact(smap):
    """{contact_id: [pairing]} of active pairings (for cards and rows)."""
    owners = {}
    for p in smap.pairings:
        if p.contact_id:
            owners.setdefault(p.contact_id, []).append(p)
    return owners


def section_context(account):
    """The overview's stakeholder section: counts and gaps, in the map's four queries (as columns)."""
    smap = services.load_gap_rows(account.id)
    active = smap.active_contacts
    levels = best_levels(smap.pairings)
    return {
        "gaps": gap_items(smap, account.id),
        "n_contacts": len(active),
        "n_departments": len(smap.departments),
        "n_decision_makers": sum(1 for c in active if is_decision_maker(c)),
        "n_warm": sum(1 for c in active if is_warm(levels.get(c.id, "none"))),
        "n_left": len(smap.contacts) - len(active),
    }


register_section("stakeholders", 30, "stakeholders/_section.html", section_context)
