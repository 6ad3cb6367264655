"""The weekly digest: a sponsor's "needs you" list and health changes; a KAM's week (open
complaints, due actions, meetings coming, gaps). Sent Monday morning in each person's time
zone; nothing to say, no mail."""
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from sqlalchemy import case

from app.accounts.models import Account
from app.actions.models import OPEN_STATUSES as ACTION_OPEN
from app.actions.models import ActionItem
from app.auth.models import User
from app.complaints.models import OPEN_STATUSES, Complaint
from app.extensions import db
from app.jobs.sent import claim_once
from app.notify import kinds, mail
from app.notify.services import DIGEST, wants_digest
from app.team.models import Membership
from app.timeutil import today, utcnow
from app.translate import gettext as _

MORNING = 7  # local hour from which Monday's digest goes out
ITEMS = 8  # lines a section shows


def _section(title, items):
    return {"title": title, "items": items[:ITEMS], "more": max(len(items) - ITEMS, 0)} if items else None


def _sponsor_sections(user, on):
    from app.health import services as health
    from app.health import sponsor

    ids = sponsor.sponsor_account_ids(user)
    if not ids:
        return []
    names = {a.id: a.name for a in sponsor.accounts(ids)}
    needs = sponsor.needs_you(user, ids, on)
    items = [{"account": names[aid], "text": str(text), "url": mail.absolute(mail.path_for(
        "accounts.overview", account_id=aid))} for aid in ids for _kind, text in needs[aid]]
    changes = []
    scores = health.health_for(ids, on_date=on)
    for aid, trend in health.trend_for(ids, on_date=on).items():
        now = scores[aid].score
        way = health.direction(trend, now)  # now against the last closed quarter
        if way in ("up", "down"):
            changes.append({"account": names[aid], "url": mail.absolute(mail.path_for("accounts.overview", account_id=aid)),
                            "text": (_("Health rose from %(old)s to %(new)s.", old=trend[-1][1], new=now)
                                     if way == "up" else
                                     _("Health fell from %(old)s to %(new)s.", old=trend[-1][1], new=now))})
    return [s for s in (_section(_("Needs you"), items), _section(_("Health changes"), changes)) if s]


def _kam_sections(user, on, tz, lang):
    from app.stakeholders.services import load_gap_rows

    rows = db.session.execute(db.select(Account.id, Account.name).join(
        Membership, Membership.account_id == Account.id).where(
        Membership.user_id == user.id, Membership.left_on.is_(None), Membership.role == "kam",
        Account.archived_at.is_(None)).order_by(Account.name)).all()
    if not rows:
        return []
    names = dict(rows)
    ids = list(names)
    now = utcnow()
    complaints = [{"account": names[c.account_id], "text": (_("«%(subject)s», past its promised time", subject=c.subject)
                                                            if c.breached(now) else
                                                            _("«%(subject)s», open", subject=c.subject)),
                   "url": mail.absolute(mail.path_for("complaints.show", account_id=c.account_id, complaint_id=c.id))}
                  for c in db.session.scalars(db.select(Complaint).where(
                      Complaint.account_id.in_(ids), Complaint.status.in_(OPEN_STATUSES))
                      .order_by(case((Complaint.breached(now), 0), else_=1), Complaint.received_at))]
    actions = [{"account": names[a.account_id], "url": mail.absolute(mail.path_for("accounts.overview", account_id=a.account_id)),
                "text": _("%(title)s, due %(due)s", title=a.title, due=kinds.when(a.due_on, tz, lang))}
               for a in db.session.scalars(db.select(ActionItem).where(
                   ActionItem.account_id.in_(ids), ActionItem.status.in_(ACTION_OPEN),
                   ActionItem.due_on <= on + timedelta(days=7)).order_by(ActionItem.due_on))]
    from app.meetings.models import Meeting
    meetings = [{"account": names[m.account_id], "text": f"{m.title}, {kinds.when(m.starts_at, tz, lang)}",
                 "url": mail.absolute(mail.path_for("meetings.show", account_id=m.account_id, meeting_id=m.id))}
                for m in db.session.scalars(db.select(Meeting).where(
                    Meeting.account_id.in_(ids), Meeting.status == "scheduled", Meeting.starts_at >= now,
                    Meeting.starts_at <= now + timedelta(days=7)).order_by(Meeting.starts_at))]
    gaps = []
    for aid in ids:  # a weekly job: four queries an account is fine here, never on a page
        gaps += [{"account": names[aid], "text": str(g.sentence),
                  "url": mail.absolute(mail.path_for("stakeholders.index", account_id=aid))}
                 for g in load_gap_rows(aid).gaps()]
    return [s for s in (_section(_("Open complaints"), complaints), _section(_("Actions due this week"), actions),
                        _section(_("Meetings coming"), meetings), _section(_("Gaps in the relationship map"), gaps))
            if s]


def build_digest(user, on=None):
    """{"sections": [...]} in the user's language, or None when there is nothing to say."""
    on = on or today()
    lang, tz = mail.language_of(user), mail.timezone_of(user)
    with force_locale(lang):
        sections = _sponsor_sections(user, on) + _kam_sections(user, on, tz, lang)
    return {"sections": sections, "week": on.isocalendar().week} if sections else None


def digest_message(user, digest):
    def context(lang, tz):
        return {"subject": _("Your week: %(n)s things for your accounts",
                             n=sum(len(s["items"]) + s["more"] for s in digest["sections"])),
                "sections": digest["sections"],
                "prefs_url": mail.absolute(mail.path_for("notify.preferences"))}
    from app.notify.tasks import _unsubscribe_path
    return mail.build(user, "digest", context, _unsubscribe_path(user.id, DIGEST))


def is_digest_time(user, now):
    """Monday, from MORNING o'clock on, in the person's time zone: (yes?, their local date)."""
    local = now.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(str(mail.timezone_of(user))))
    return local.weekday() == 0 and local.hour >= MORNING, local.date()


def run_digests(now=None):
    """Send each person who wants it their weekly digest, once a week; returns how many went."""
    from app.notify.tasks import send_digest

    now = now or utcnow()
    users = db.session.scalars(db.select(User).where(User.active.is_(True)).order_by(User.id)).all()
    wanted = wants_digest(u.id for u in users)
    sent = 0
    for user in users:
        due, local_day = is_digest_time(user, now)
        if not (due and wanted[user.id]):
            continue
        week = local_day.isocalendar()
        key = f"digest:{user.id}:{week.year}-W{week.week:02d}"
        digest = build_digest(user, local_day)
        if digest is None or not claim_once(key):
            continue
        db.session.commit()  # the claim is kept before the mail is queued: never two digests a week
        send_digest(user.id, digest)
        sent += 1
    return sent



