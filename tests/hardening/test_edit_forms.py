"""No edit is lost silently: every edit form in the URL map, saved twice from one stale read.

Two people open the same form (two clients, each GETs the page the form lives on and reads the
form's fields as a browser would submit them), the first saves, the second saves from the
version it read. The second must answer 409 with the person's input kept, and the first's
value must be what is stored.

Every write route of the URL map is either an edit form here (EDIT_FORMS) or named in
NOT_EDITS with the reason; a new route fails `test_every_write_route_is_classified` until it
is one or the other. And every form any page renders with a `version` field must post to an
EDIT_FORMS route (`test_every_versioned_form_is_walked`), so a new edit form joins by existing.
"""
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from flask import url_for

from app import create_app
from app.extensions import db
from tests import factories
from tests.conftest import World, make_config
from tests.route_params import PARAMS, build

# --- reading forms as a browser submits them --------------------------------------------------


class _Forms(HTMLParser):
    """Every <form>: its action (or hx-post) path and the fields a submit would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea, self._option = [], None, None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": urlsplit(a.get("action") or a.get("hx-post") or "").path, "fields": {}}
            self.forms.append(self._form)
        elif self._form is None or "disabled" in a:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"][a["name"]] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form["fields"].setdefault(self._select, None)
        elif tag == "option" and self._select:
            self._option = a.get("value")
            if "selected" in a or self._form["fields"][self._select] is None:
                self._form["fields"][self._select] = self._option or ""
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form["fields"][self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(html):
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_posting_to(html, action, page):
    """The fields of the page's form posting to `action` (a form without action posts to the page)."""
    here = urlsplit(page).path
    found = [f for f in forms_of(html) if (f["action"] or here) == urlsplit(action).path]
    assert found, f"no form posting to {action} on the page"
    return dict(found[0]["fields"])


# --- the edit forms ---------------------------------------------------------------------------


@dataclass
class Edit:
    """One edit form: where it is shown, where it posts, what the two people change and where the
    result is stored. `page`/`action` are (endpoint, extra URL values); ids come from PARAMS."""

    action: tuple
    changes: tuple  # (the first person's fields, the second person's fields)
    stored: object  # world -> the stored value that must equal `expect`
    page: tuple = None  # default: the action's own URL (GET)
    expect: object = None  # default: the first person's value of the first changed field
    users: tuple = ("admin", "admin2")
    setup: object = None  # world -> None, before anyone reads the page


def _first(model, **where):
    def get(w):
        db.session.expire_all()
        stmt = db.select(model).order_by(model.id).limit(1)
        if "account_id" in model.__table__.c:
            stmt = stmt.where(model.account_id == w.account.id)
        for k, v in where.items():
            stmt = stmt.where(getattr(model, k) == v)
        return db.session.scalar(stmt)
    return get


def _attr(getter, name):
    return lambda w: getattr(getter(w), name)


def _own_action(w):
    """The KAM owns the account's loose action, so it is on their "My actions" page."""
    from app.actions.models import ActionItem
    item = db.session.scalar(db.select(ActionItem).where(ActionItem.account_id == w.account.id,
                                                         ActionItem.objective_id.is_(None)).limit(1))
    item.owner_id = w.users["kam"].id
    db.session.commit()


def _two_managers(w):
    """Two more people at the customer, each a manager the first contact could report to."""
    from app.stakeholders import services
    for name in ("Ann's pick", "Bob's pick"):
        services.create_contact(w.users["kam"], w.account, {"name": name})


def _manager(name):
    def provide(w):
        from app.stakeholders.models import Contact
        return db.session.scalar(db.select(Contact.id).where(Contact.account_id == w.account.id, Contact.name == name))
    return provide


def _criterion_id(w):
    return PARAMS["criterion_id"](w, w.account)


class _Models(dict):
    """m["Account"] -> the model class (every model is imported by app.models)."""

    def __missing__(self, name):
        from app import models
        return getattr(models, name)


def _edit_forms():
    m = _Models()
    first = _first
    return {
        "accounts.edit": Edit(("accounts.edit", {}), ({"name": "Name by Ann"}, {"name": "Name by Bob"}),
                              lambda w: (db.session.expire_all(), db.session.get(m["Account"], w.account.id).name)[1]),
        # One's own page, open in two tabs (or on a phone and a laptop).
        "profile.me": Edit(("profile.me", {}), ({"name": "Name in tab one"}, {"name": "Name in tab two"}),
                           lambda w: (db.session.expire_all(), db.session.get(m["User"], w.users["member"].id).name)[1],
                           users=("member", "member")),
        "auth.edit_user": Edit(("auth.edit_user", {}), ({"title": "Title by Ann"}, {"title": "Title by Bob"}),
                               lambda w: (db.session.expire_all(), db.session.get(m["User"], w.users["member"].id).title)[1]),
        "health.weights": Edit(("health.weights", {}), ({"complaints": "17"}, {"complaints": "23"}),
                               lambda w: (db.session.expire_all(), db.session.get(m["HealthWeight"], "complaints").weight)[1],
                               expect=17),
        "selection.edit_criterion": Edit(
            ("selection.edit_criterion", {}), ("name_en", "Fit by Ann", "Fit by Bob"),
            lambda w: (db.session.expire_all(), db.session.get(m["Criterion"], _criterion_id(w)).name_en)[1],
            page=("selection.criteria", {})),
        "selection.set_weight": Edit(("selection.set_weight", {}), ({"weight": "31"}, {"weight": "47"}),
                                     lambda w: (db.session.expire_all(), db.session.get(m["Criterion"], _criterion_id(w)).weight)[1],
                                     page=("selection.criteria", {}), expect=31),
        "selection.settings": Edit(("selection.settings", {}), ({"review_due_days": "30"}, {"review_due_days": "45"}),
                                   lambda w: (db.session.expire_all(),
                                              db.session.scalar(db.select(m["SelectionSettings"].review_due_days)))[1],
                                   page=("selection.criteria", {}), expect=30),
        "selection.cell": Edit(("selection.cell", {}), ({"value": "8", "note": "Ann's note"}, {"value": "3", "note": "Bob's note"}),
                               _attr(first(m["Score"]), "value"), page=("selection.edit_cell", {}), expect=8),
        "stakeholders.department": Edit(("stakeholders.department", {}), ({"name": "Dept by Ann"}, {"name": "Dept by Bob"}),
                                        _attr(first(m["Department"]), "name")),
        "stakeholders.contact": Edit(("stakeholders.contact", {}), ({"title": "CTO by Ann"}, {"title": "CFO by Bob"}),
                                     _attr(first(m["Contact"]), "title")),
        # The org chart's "reports to" picker on a chosen card (a drag posts the same fields).
        "stakeholders.reports_to": Edit(("stakeholders.reports_to", {}),
                                        ({"reports_to_id": _manager("Ann's pick")}, {"reports_to_id": _manager("Bob's pick")}),
                                        _attr(first(m["Contact"]), "reports_to_id"), page=("stakeholders.org_pick", {}),
                                        setup=_two_managers),
        "stakeholders.pairing": Edit(("stakeholders.pairing", {}),
                                     ({"current_level": "acquainted"}, {"current_level": "trusted_advisor"}),
                                     _attr(first(m["Coverage"]), "current_level"), page=("stakeholders.coverage", {})),
        "team.change": Edit(("team.change", {}), ({"function": "support"}, {"function": "marketing"}),
                            lambda w: (db.session.expire_all(), db.session.get(
                                m["Membership"], PARAMS["membership_id"](w, w.account)).function)[1],
                            page=("team.index", {})),
        "actions.set_status": Edit(("actions.set_status", {"mine": "1"}), ({"status": "in_progress"}, {"status": "done"}),
                                   _attr(first(m["ActionItem"], objective_id=None), "status"),
                                   page=("actions.mine", {}), users=("kam", "kam"), setup=_own_action),
        "complaints.edit_channel": Edit(("complaints.edit_channel", {}), ({"hours": "9-17 by Ann"}, {"hours": "8-20 by Bob"}),
                                        _attr(first(m["ComplaintChannel"]), "hours")),
        "complaints.edit": Edit(("complaints.edit", {}), ({"subject": "Subject by Ann"}, {"subject": "Subject by Bob"}),
                                _attr(first(m["Complaint"]), "subject")),
        "complaints.step": Edit(("complaints.step", {}),
                                ({"to_status": "acknowledged", "note": "Ann called back"},
                                 {"to_status": "acknowledged", "note": "Bob called back"}),
                                _attr(first(m["Complaint"]), "status"), page=("complaints.show", {})),
        "complaints.escalate": Edit(("complaints.escalate", {}),
                                    ({"note": "Ann escalates", "channel_id": _higher_channel},
                                     {"note": "Bob escalates", "channel_id": _higher_channel}),
                                    lambda w: _last_event(w).note, page=("complaints.show", {})),
        "complaints.reopen": Edit(("complaints.reopen", {}), ({"note": "Ann reopens"}, {"note": "Bob reopens"}),
                                  lambda w: _last_event(w).note, page=("complaints.show", {}), setup=_resolved),
        "meetings.edit": Edit(("meetings.edit", {}), ({"title": "Meeting by Ann"}, {"title": "Meeting by Bob"}),
                              _attr(first(m["Meeting"]), "title")),
        "meetings.edit_cadence": Edit(("meetings.edit_cadence", {}), ({"every_days": "30"}, {"every_days": "45"}),
                                      _attr(first(m["ExecutiveCadence"]), "every_days"),
                                      page=("meetings.index", {}), expect=30),
        "plans.section": Edit(("plans.section", {}), ({"strategy": "Strategy by Ann"}, {"strategy": "Strategy by Bob"}),
                              lambda w: _business(w).strategy, page=("plans.edit_section", {})),
        "plans.swot_item": Edit(("plans.swot_item", {}), ({"text": "Strength by Ann"}, {"text": "Strength by Bob"}),
                                _attr(first(m["SwotItem"]), "text"), page=("plans.edit_swot_item", {})),
        "plans.objective": Edit(("plans.objective", {}), ({"title": "Objective by Ann"}, {"title": "Objective by Bob"}),
                                _attr(first(m["Objective"]), "title"), page=("plans.edit_objective", {})),
        "plans.action": Edit(("plans.action", {}), ({"title": "Action by Ann"}, {"title": "Action by Bob"}),
                             lambda w: (db.session.expire_all(), db.session.get(
                                 m["ActionItem"], PARAMS["plan_action_id"](w, w.account)).title)[1],
                             page=("plans.edit_action", {})),
        "plans.opportunity": Edit(("plans.opportunity", {}), ({"name": "Deal by Ann"}, {"name": "Deal by Bob"}),
                                  _attr(first(m["Opportunity"]), "name"), page=("plans.edit_opportunity", {})),
        # Settings: a chat bot's events and switch (the admin's list and the account's), the
        # person's own notification choices in two tabs, the workspace zone.
        "notify.update_webhook": Edit(("notify.update_webhook", {}), ({"events": "sla_warning"}, {"events": "cadence_due"}),
                                      _attr(first(m["WebhookTarget"]), "events"), page=("notify.webhooks", {})),
        "notify.update_account_webhook": Edit(
            ("notify.update_account_webhook", {}), ({"events": "sla_warning"}, {"events": "cadence_due"}),
            _attr(first(m["WebhookTarget"]), "events"), page=("notify.account_webhooks", {}), users=("kam", "kam")),
        "notify.preferences": Edit(("notify.preferences", {}), ({"sla_warning": "email"}, {"sla_warning": "none"}),
                                   lambda w: (db.session.expire_all(), db.session.scalar(
                                       db.select(m["NotifyPreference"].channels).where(
                                           m["NotifyPreference"].user_id == w.users["member"].id,
                                           m["NotifyPreference"].kind == "sla_warning")))[1],
                                   users=("member", "member")),
        "profile.workspace": Edit(("profile.workspace", {}), ({"timezone": "Asia/Tokyo"}, {"timezone": "Europe/Berlin"}),
                                  lambda w: (db.session.expire_all(), db.session.scalar(
                                      db.select(m["WorkspaceSetting"].value)))[1]),
        "reviews.save_commentary": Edit(("reviews.save_commentary", {}),
                                        ({"commentary": "Commentary by Ann"}, {"commentary": "Commentary by Bob"}),
                                        lambda w: _note(w).commentary, page=("reviews.preview", {"quarter": "2026-Q3"})),
    }


def _higher_channel(w):
    from app.complaints.models import ComplaintChannel
    return db.session.scalar(db.select(ComplaintChannel.id).where(
        ComplaintChannel.account_id == w.account.id, ComplaintChannel.kind == "management"))


def _resolved(w):
    from app.complaints.models import Complaint
    c = db.session.scalar(db.select(Complaint).where(Complaint.account_id == w.account.id).limit(1))
    c.status = "resolved"
    db.session.commit()


def _last_event(w):
    from app.complaints.models import ComplaintEvent
    db.session.expire_all()
    return db.session.scalar(db.select(ComplaintEvent).where(ComplaintEvent.account_id == w.account.id)
                             .order_by(ComplaintEvent.id.desc()).limit(1))


def _business(w):
    from app.plans.models import BusinessSection, Plan
    db.session.expire_all()
    return db.session.scalar(db.select(BusinessSection).join(Plan, Plan.id == BusinessSection.plan_id)
                             .where(Plan.account_id == w.account.id).limit(1))


def _note(w):
    from app.reviews.models import ReviewNote
    db.session.expire_all()
    return db.session.scalar(db.select(ReviewNote).where(ReviewNote.account_id == w.account.id,
                                                         ReviewNote.quarter == "2026-Q3"))


# Write routes that are not edits of an existing object a person types into, and why.
NOT_EDITS = {
    # New objects: nothing of anybody's to overwrite.
    "accounts.new": "creates", "auth.users": "creates a user", "complaints.new": "creates",
    "complaints.channels": "creates a channel", "meetings.new": "creates", "meetings.add_action": "creates",
    "meetings.add_cadence": "creates", "health.add_note": "creates a check-in note",
    "health.snapshot": "takes a snapshot (one per quarter, refused twice)",
    "plans.index": "starts the plan", "plans.next_plan": "starts the next plan",
    "plans.add_objective": "creates", "plans.add_action": "creates", "plans.opportunities": "creates",
    "plans.swot": "creates a SWOT line", "stakeholders.index": "creates a contact",
    "stakeholders.add_department": "creates", "stakeholders.coverage": "creates a pairing",
    "stakeholders.interactions": "logs a touch",
    # Imports: the preview shows what will change row by row; apply is one all-or-nothing transaction.
    "imports.contacts": "previews, then applies an import", "imports.accounts": "previews, then applies an import",
    "notify.webhooks": "creates a chat bot", "notify.account_webhooks": "creates a chat bot",
    "team.index": "adds a member", "reviews.finalise": "files a new numbered review",
    "reviews.choose_priorities": "makes chosen actions priorities (no typed text)",
    "reviews.new_priority": "creates an action", "reviews.drop_priority": "takes an action off the priorities",
    "reviews.export_page": "starts an export", "selection.criteria": "creates a criterion",
    # A decision recorded as a new entry, from the tier / stage the person saw (tier_before,
    # stage_before): a move in between answers 409 (tests/selection).
    "selection.decide": "new decision entry, checked against the tier read",
    "selection.change_stage": "new stage entry, checked against the stage read",
    # One-click moves with no typed text: the click states the person's intent anew, and the
    # move is refused when it no longer applies (already ended, left, removed, archived).
    "accounts.archive": "archive / restore toggle", "auth.toggle_active": "deactivate / reactivate toggle",
    "stakeholders.end_pairing": "ends a pairing", "stakeholders.leave": "marks a contact as left (once)",
    "stakeholders.remove_department": "takes a department off the map (once)",
    "team.leave": "takes a member off the team (once)", "meetings.delete_cadence": "stops a cadence",
    "plans.swot_op": "moves or deletes a SWOT line",
    "notify.delete_webhook": "removes a chat bot", "notify.delete_account_webhook": "removes a chat bot",
    "notify.test_webhook": "posts a test card", "notify.test_account_webhook": "posts a test card",
    "notify.read": "marks one notification read", "notify.read_all": "marks all read",
    "notify.unsubscribe": "one-click unsubscribe from a mail link", "profile.reset_feed": "makes a new feed address",
    # The person's own session and password: the current password must be typed, so a stale tab
    # cannot change it (the password it knows is no longer the current one).
    "main.language": "the person's own language switch", "auth.login_page": "log-in", "auth.logout": "log-out",
    "auth.password": "needs the current password",
}


def _write_endpoints(app):
    return {r.endpoint for r in app.url_map.iter_rules() if r.endpoint != "static"
            and (r.methods or set()) - {"GET", "HEAD", "OPTIONS"}}


def test_every_write_route_is_classified(app):
    writes, edits = _write_endpoints(app), set(_edit_forms())
    missing = writes - edits - set(NOT_EDITS)
    assert not missing, f"write routes neither walked as edit forms nor named in NOT_EDITS: {sorted(missing)}"
    assert not (edits | set(NOT_EDITS)) - writes, "entries for routes that no longer exist"
    assert not edits & set(NOT_EDITS)


def _url(app, w, endpoint, extra):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {a: (w.account.id if a == "account_id" else PARAMS[a](w, w.account)) for a in rule.arguments}
    with app.test_request_context():
        return url_for(endpoint, **values, **extra)


def _setup(app):
    world = World()
    build(world)
    world.users["admin2"] = factories.make_user("Bea Admin", is_admin=True, seniority="director")
    return world


def _clients(app, world, users):
    return [app.test_client().login(world.users[u]) for u in users]


def _shown(value):
    return str(value).replace("'", "&#39;")


@pytest.mark.parametrize("endpoint", sorted(_edit_forms()))
def test_stale_save_answers_409_and_the_first_save_stays(app, endpoint):
    case = _edit_forms()[endpoint]
    world = _setup(app)
    if case.setup:
        case.setup(world)
    changes = case.changes
    if isinstance(changes[0], str):  # a prefixed per-row form: ("name", first, second)
        name = f"c{_criterion_id(world)}-{changes[0]}"
        changes = ({name: changes[1]}, {name: changes[2]})
    changes = tuple({k: v(world) if callable(v) else v for k, v in c.items()} for c in changes)
    action = _url(app, world, *case.action)
    page = _url(app, world, *(case.page or (case.action[0], {})))
    ann, bob = _clients(app, world, case.users)
    forms = []
    for client in (ann, bob):  # both read the form before either saves
        resp = client.get(page)
        assert resp.status_code == 200, (page, resp.status)
        forms.append(form_posting_to(resp.get_data(as_text=True), action, page))
    assert any(k == "version" or k.endswith("-version") for k in forms[0]), f"{endpoint}: no version in the form"
    first = ann.post(action, data={**forms[0], **changes[0]})
    assert first.status_code < 400, (endpoint, "first save", first.status, first.get_data(as_text=True)[:2000])
    second = bob.post(action, data={**forms[1], **changes[1]})
    body = second.get_data(as_text=True)
    assert second.status_code == 409, (endpoint, "stale save", second.status, body[:2000])
    mine = next(iter(changes[1].values()))
    if endpoint not in ("actions.set_status", "team.change", "stakeholders.pairing"):  # choices: kept as selected
        assert _shown(mine) in body, f"{endpoint}: the person's input is not kept in the 409 answer"
    expect = case.expect if case.expect is not None else next(iter(changes[0].values()))
    if endpoint == "complaints.step":
        expect = "acknowledged"
    assert case.stored(world) == expect, f"{endpoint}: the first save is not what is stored"


def _get_rules():
    app = create_app(make_config("sqlite://"))
    return sorted(r.endpoint for r in app.url_map.iter_rules()
                  if "GET" in (r.methods or set()) and r.endpoint != "static"
                  and not r.rule.endswith((".pdf", ".csv", ".ics", "/download", "/progress")))


def test_every_versioned_form_is_walked(app):
    """Every page (as an admin, every feature's objects built): a form carrying an object's
    version (a non-empty `version` field; create forms leave it empty) must post to a route in
    EDIT_FORMS."""
    world = _setup(app)
    client = app.test_client().login(world.users["admin"])
    adapter = app.url_map.bind("localhost")
    edits, seen = set(_edit_forms()), set()
    for endpoint in _get_rules():
        resp = client.get(_url(app, world, endpoint, {}))
        if resp.status_code != 200 or "html" not in (resp.content_type or ""):
            continue
        for f in forms_of(resp.get_data(as_text=True)):
            if any((k == "version" or k.endswith("-version")) and v for k, v in f["fields"].items()):
                target, _args = adapter.match(f["action"] or urlsplit(resp.request.path).path, method="POST")
                seen.add(target)
                assert target in edits, f"{endpoint} shows a versioned form posting to {target}: add it to EDIT_FORMS"
    assert len(seen) >= 15, sorted(seen)
