"""Human labels for audited objects and fields, in the user's language."""
from app import vocab
from app.translate import lazy_gettext as _l

OBJECTS = {
    "Account": _l("account"),
    "Membership": _l("team membership"),
    "User": _l("user"),
}

ACTIONS = {
    "create": _l("created"),
    "update": _l("changed"),
    "delete": _l("deleted"),
    "archive": _l("archived"),
    "restore": _l("restored"),
    "leave": _l("ended"),
    "activate": _l("reactivated"),
    "deactivate": _l("deactivated"),
    "password": _l("changed the password of"),
}

FIELDS = {
    "name": _l("Name"), "industry": _l("Industry"), "region": _l("Region"),
    "website": _l("Website"), "procurement_model": _l("Procurement"),
    "purchase_pattern": _l("Purchase pattern"), "currency": _l("Currency"),
    "revenue_this_year": _l("Revenue this year"), "revenue_last_year": _l("Revenue last year"),
    "margin_pct": _l("Margin"), "payment_terms": _l("Payment terms"),
    "credit_note": _l("Credit and payment record"), "tier": _l("Tier"),
    "relationship_stage": _l("Relationship stage"), "archived_at": _l("Archived"),
    "role": _l("Team role"), "function": _l("Function"), "joined_on": _l("Joined"),
    "left_on": _l("Left"), "user_id": _l("Person"), "email": _l("E-mail"),
    "title": _l("Title"), "seniority": _l("Seniority"), "language": _l("Language"),
    "is_admin": _l("Admin"), "active": _l("Active"),
}

# Fields whose stored values are vocabulary codes, shown as their labels. A key is a field
# name, or "Object.field" where two objects use one field name for different vocabularies.
VALUE_VOCABS = {
    "tier": vocab.TIERS, "relationship_stage": vocab.STAGES, "role": vocab.TEAM_ROLES,
    "function": vocab.FUNCTIONS, "seniority": vocab.SENIORITY,
    "procurement_model": vocab.PROCUREMENT, "purchase_pattern": vocab.PURCHASE_PATTERN,
}


# Fields whose stored values are another row's id, shown as that row's name:
# key (field or "Object.field") -> (model, name column, vocabulary of that column or None).
REFS = {}


def register(objects=None, fields=None, value_vocabs=None, refs=None):
    """Let a feature add its own object, field and value labels, and id fields to show by name."""
    OBJECTS.update(objects or {})
    FIELDS.update(fields or {})
    VALUE_VOCABS.update(value_vocabs or {})
    REFS.update(refs or {})


def ref_for(field, object_type=None):
    return REFS.get(f"{object_type}.{field}") or REFS.get(field)


def ref_names(events):
    """{(model name, id): label} for the ids the events' changes refer to.

    One UNION ALL over every registered kind of reference, whatever the events hold, so a
    timeline costs the same one query however many people, contacts or channels it names.
    """
    if not events:
        return {}
    from sqlalchemy import String, cast, literal, union_all

    from app.extensions import db

    kinds = list(dict.fromkeys(REFS.values()))
    wanted = {k: set() for k in kinds}
    for e in events:
        if e.action == "create":
            continue
        for field, pair in (e.changes or {}).items():
            ref = ref_for(field, e.object_type)
            if ref is not None:
                wanted[ref].update(v for v in pair if isinstance(v, int) and not isinstance(v, bool))
    selects = [db.select(literal(i).label("kind"), model.id.label("id"), cast(getattr(model, column), String).label("name"))
               .where(model.id.in_(sorted(wanted[(model, column, voc)])))
               for i, (model, column, voc) in enumerate(kinds)]
    if not selects:
        return {}
    out = {}
    for i, oid, name in db.session.execute(union_all(*selects) if len(selects) > 1 else selects[0]):
        model, _column, voc = kinds[i]
        out[(model.__name__, oid)] = voc.label(name) if voc is not None else name
    return out


def object_label(name):
    return OBJECTS.get(name, name)


def action_label(action):
    return ACTIONS.get(action, action)


def field_label(field):
    return FIELDS.get(field, field.replace("_", " "))


def vocab_for(field, object_type=None):
    """The vocabulary of a field of an object type, if its values are codes."""
    return VALUE_VOCABS.get(f"{object_type}.{field}") or VALUE_VOCABS.get(field)


def value_label(field, value, object_type=None, names=None):
    """A stored value as people read it; `names` (from ref_names) turns ids into names."""
    if value is None or value == "":
        return "—"
    ref = ref_for(field, object_type)
    if ref is not None and names is not None:
        return names.get((ref[0].__name__, value), f"#{value}")
    vocab = vocab_for(field, object_type)
    if vocab is not None:
        return vocab.label(value)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"
