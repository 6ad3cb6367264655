"""Stakeholder services. `touch_contacts` is shared: interactions and meetings call it."""
from sqlalchemy import or_

from app.extensions import db
from app.stakeholders.models import Contact


def touch_contacts(account_id, contact_ids, on_date):
    """Move the contacts' "last contacted" date forward to `on_date` (never back)."""
    if not contact_ids or on_date is None:
        return
    db.session.execute(
        db.update(Contact)
        .where(Contact.account_id == account_id, Contact.id.in_(list(contact_ids)),
               or_(Contact.last_contacted_on.is_(None), Contact.last_contacted_on < on_date))
        .values(last_contacted_on=on_date)
        .execution_options(synchronize_session=False)
    )
