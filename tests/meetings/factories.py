"""Factories for meeting tests."""
from datetime import timedelta

from app.extensions import db
from app.meetings.models import ExecutiveCadence, Meeting
from app.stakeholders.models import Contact
from app.timeutil import today, utcnow
from tests.complaints.factories import make_contact


def make_meeting(account, users=(), contacts=(), days_ago=10, status="held", **kw):
    defaults = dict(kind="executive", title="Executive meeting", decisions="Renew for 3 years",
                    satisfaction=8 if status == "held" else None)
    defaults.update(kw)
    m = Meeting(account_id=account.id, status=status, starts_at=utcnow() - timedelta(days=days_ago), **defaults)
    m.our_attendees = list(users)
    m.their_attendees = list(contacts)
    db.session.add(m)
    db.session.commit()
    return m


def make_cadence(account, executive, contact, every_days=60, started_days_ago=100):
    cad = ExecutiveCadence(account_id=account.id, executive_id=executive.id, contact_id=contact.id,
                           every_days=every_days, started_on=today() - timedelta(days=started_days_ago))
    db.session.add(cad)
    db.session.commit()
    return cad


def build(world):
    """Route-walk builder: a meeting and a cadence in both accounts (contacts made if missing)."""
    for account, exec_user in ((world.account, world.users["sponsor"]), (world.other, world.users["outsider"])):
        contact = db.session.scalar(db.select(Contact).where(Contact.account_id == account.id).limit(1)) \
            or make_contact(account)
        make_meeting(account, [exec_user], [contact])
        make_cadence(account, exec_user, contact)
