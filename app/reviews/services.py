"""Reviews: next-quarter priorities (version-checked), finalising (frozen bytes and data), the archive."""
import hashlib
import json

from sqlalchemy import func

from app.actions.models import OPEN_STATUSES, ActionItem
from app.actions.services import open_first_order
from app.audit.services import apply_changes, record
from app.concurrency import check_version, commit_versioned
from app.extensions import db
from app.reviews import quarters
from app.reviews.models import FinalReview, ReviewNote
from app.timeutil import utcnow
from app.translate import lazy_gettext as _l

PRIORITIES_LIMIT = 5000


class ReviewError(ValueError):
    """A review change that cannot be made, with a message for the person."""


def check_quarter(quarter):
    """A quarter string, or ReviewError."""
    if not quarters.parse(quarter or ""):
        raise ReviewError(_l("Choose a quarter such as 2026-Q3."))
    return quarter.strip()


def note_for(account_id, quarter):
    """The stored priorities of a quarter, or None."""
    return db.session.scalar(db.select(ReviewNote).where(
        ReviewNote.account_id == account_id, ReviewNote.quarter == quarter))


def save_note(actor, account, quarter, commentary, version=None):
    """Save the KAM's commentary of the quarter; a save over a newer version raises StaleEdit."""
    quarter = check_quarter(quarter)
    commentary = (commentary or "").strip()
    if len(commentary) > PRIORITIES_LIMIT:
        raise ReviewError(_l("Keep the commentary under %(n)d characters.", n=PRIORITIES_LIMIT))
    note = note_for(account.id, quarter)
    if note is None:
        note = ReviewNote(account_id=account.id, quarter=quarter, priorities="", commentary="")
        db.session.add(note)
        db.session.flush()
        record(actor, note, "create", summary=quarter)
    elif version is not None:
        check_version(note, version)
    changes = apply_changes(note, {"commentary": commentary})
    if changes:
        note.updated_at, note.updated_by_id = utcnow(), getattr(actor, "id", None)
        record(actor, note, "update", changes, summary=quarter)
    commit_versioned(note)
    return note


# --- next quarter's priorities: actions of the plan, with owner and due date ----------------

PRIORITY_LIMIT = 12  # a quarter's priorities fit on the review's page; more is not a priority


def priority_candidates(account_id, quarter, limit=200):
    """[(id, title, owner name, due)] of the account's open actions not yet among `quarter`'s
    priorities, to choose from (one query)."""
    from app.auth.models import User

    return db.session.execute(db.select(ActionItem.id, ActionItem.title, User.name, ActionItem.due_on)
                              .outerjoin(User, User.id == ActionItem.owner_id).where(
        ActionItem.account_id == account_id, ActionItem.status.in_(OPEN_STATUSES),
        (ActionItem.priority_quarter.is_(None)) | (ActionItem.priority_quarter != quarter))
        .order_by(*open_first_order()).limit(limit)).all()


def _room(account_id, quarter, adding):
    have = db.session.scalar(db.select(func.count(ActionItem.id)).where(
        ActionItem.account_id == account_id, ActionItem.priority_quarter == quarter)) or 0
    if have + adding > PRIORITY_LIMIT:
        raise ReviewError(_l("A quarter has at most %(n)d priorities: take one off first.", n=PRIORITY_LIMIT))


def choose_priorities(actor, account, quarter, action_ids):
    """Make open actions of the account priorities of `quarter`; an id of another account, a done
    or an unknown action is refused as a whole (nothing changes)."""
    quarter = check_quarter(quarter)
    ids = {int(i) for i in action_ids}
    if not ids:
        raise ReviewError(_l("Choose at least one action."))
    items = db.session.scalars(db.select(ActionItem).where(
        ActionItem.id.in_(ids), ActionItem.account_id == account.id)).all()
    if len(items) != len(ids) or any(not i.is_open for i in items):
        raise ReviewError(_l("Choose open actions of this account."))
    items = [i for i in items if i.priority_quarter != quarter]
    _room(account.id, quarter, len(items))
    for item in items:
        record(actor, item, "update", apply_changes(item, {"priority_quarter": quarter}), summary=item.title)
    db.session.commit()
    return items


def new_priority(actor, account, quarter, *, title, owner_id, due_on, objective_id=None):
    """Add an action to the plan as a priority of `quarter` (an owner and a due date are required:
    a priority nobody owns by no date is a wish)."""
    from app.actions.services import ActionError, create_action

    quarter = check_quarter(quarter)
    if owner_id is None or due_on is None:
        raise ReviewError(_l("A priority needs an owner and a due date."))
    _room(account.id, quarter, 1)
    try:
        item = create_action(actor, account, title=title, owner_id=owner_id, due_on=due_on,
                             objective_id=objective_id, commit=False)
    except ActionError as e:
        db.session.rollback()
        raise ReviewError(str(e)) from None
    item.priority_quarter = quarter
    db.session.commit()
    return item


def drop_priority(actor, account, item):
    """Take an action off the quarter's priorities; it stays in the plan."""
    if item.priority_quarter is None:
        return
    record(actor, item, "update", apply_changes(item, {"priority_quarter": None}), summary=item.title)
    db.session.commit()


def finalise(actor, account, quarter, paper="a4", lang=None):
    """Freeze the review: store its PDF bytes and the data behind them as a new numbered version."""
    from app.reviews.pdf import PAPERS, build_review

    quarter = check_quarter(quarter)
    paper = paper if paper in PAPERS else "a4"
    data, pdf = build_review(account, actor, quarter, paper, lang)
    number = (db.session.scalar(db.select(func.max(FinalReview.number)).where(
        FinalReview.account_id == account.id, FinalReview.quarter == quarter)) or 0) + 1
    final = FinalReview(account_id=account.id, quarter=quarter, number=number, paper=paper,
                        lang=data["lang"], data_json=json.dumps(data, ensure_ascii=False, sort_keys=True),
                        pdf=pdf, size=len(pdf), sha256=hashlib.sha256(pdf).hexdigest(),
                        finalised_by_id=getattr(actor, "id", None))
    db.session.add(final)
    db.session.flush()
    record(actor, final, "create", summary=f"{quarter} v{number}")
    db.session.commit()
    return final


def archive(account_id, quarter=None, limit=None):
    """Finalised reviews of the account (of one quarter), newest first; the bytes are not loaded."""
    from sqlalchemy.orm import joinedload

    stmt = (db.select(FinalReview).where(FinalReview.account_id == account_id)
            .options(joinedload(FinalReview.finalised_by))
            .order_by(FinalReview.quarter.desc(), FinalReview.number.desc()).limit(limit))
    if quarter:
        stmt = stmt.where(FinalReview.quarter == quarter)
    return db.session.scalars(stmt).all()


def stored_pdf(final):
    """The stored bytes, exactly as finalised."""
    return final.pdf


def stored_data(final):
    """The data dict the stored PDF was made from."""
    return json.loads(final.data_json)


def _register_labels():
    """Audit labels for review objects and fields."""
    from app.audit import labels
    labels.register(objects={"ReviewNote": _l("review priorities"), "FinalReview": _l("finalised review"),
                             "ExportJob": _l("review export")},
                    fields={"priorities": _l("Next quarter's priorities"), "commentary": _l("Commentary"), "quarter": _l("Quarter"),
                            "number": _l("Version"), "paper": _l("Paper size"), "sha256": _l("Checksum")})


_register_labels()
