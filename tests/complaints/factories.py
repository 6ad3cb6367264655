"""Factories for complaint tests: channels, complaints, contacts (straight into the database)."""
from datetime import timedelta

from app.complaints.models import Complaint, ComplaintChannel
from app.extensions import db
from app.stakeholders.models import Contact
from app.timeutil import utcnow


def make_contact(account, name="刘总 Liu Jun", **kw):
    """A customer contact (the stakeholder feature owns the real UI)."""
    defaults = dict(title="General Manager", seniority="c_level", buying_role="economic_buyer",
                    email="liu@cust.example.com")
    defaults.update(kw)
    c = Contact(account_id=account.id, name=name, **defaults)
    db.session.add(c)
    db.session.commit()
    return c


def make_channel(account, kind="account_manager", response_hours=4, resolution_hours=48, owner=None, **kw):
    ch = ComplaintChannel(account_id=account.id, kind=kind, response_hours=response_hours,
                          resolution_hours=resolution_hours, owner_id=owner.id if owner else None,
                          phone="+86 21 1234 5678", email=f"{kind}@example.com", **kw)
    db.session.add(ch)
    db.session.commit()
    return ch


def make_complaint(account, channel, subject="Late delivery", hours_ago=1, severity="medium", **kw):
    received = utcnow() - timedelta(hours=hours_ago)
    c = Complaint(account_id=account.id, channel_id=channel.id, source_channel_id=channel.id,
                  subject=subject, severity=severity, received_at=received,
                  respond_by=received + timedelta(hours=channel.response_hours),
                  resolve_by=received + timedelta(hours=channel.resolution_hours), **kw)
    db.session.add(c)
    db.session.commit()
    return c


def build(world):
    """Route-walk builder: channels, a complaint and a contact in both accounts."""
    for account in (world.account, world.other):
        low = make_channel(account, "account_manager")
        make_channel(account, "management", response_hours=8, resolution_hours=96)
        make_contact(account)
        make_complaint(account, low)
