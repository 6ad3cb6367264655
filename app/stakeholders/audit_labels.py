"""Labels for the stakeholder objects and fields in the audit timeline."""
from app.audit.labels import register
from app.stakeholders.models import CONTACT_STATUS, INTERACTION_KINDS, Contact, Department
from app.translate import lazy_gettext as _l
from app.vocab import ATTITUDES, BUYING_ROLES, INFLUENCE, RELATIONSHIP_STRENGTH

register(
    objects={"Department": _l("department"), "Contact": _l("contact"),
             "Coverage": _l("coverage pairing"), "Interaction": _l("touch")},
    fields={"department_id": _l("Department"), "reports_to_id": _l("Reports to"),
            "buying_role": _l("Buying role"), "influence": _l("Influence"), "attitude": _l("Attitude"),
            "interests": _l("Personal interests and working style"),
            "vested_interests": _l("Vested interests our sale may threaten"),
            "needs_short": _l("Short-term needs"), "needs_long": _l("Long-term needs"),
            "phone": _l("Phone"), "status": _l("Status"), "left_to": _l("Went to"),
            "parent_id": _l("Part of"), "notes": _l("Notes"), "contact_id": _l("Contact"),
            "current_level": _l("Current level"), "target_level": _l("Target level"),
            "ended_on": _l("Ended"), "removed_on": _l("Removed from the map"), "kind": _l("Kind"), "occurred_on": _l("Date"), "note": _l("Note")},
    value_vocabs={"buying_role": BUYING_ROLES, "influence": INFLUENCE, "attitude": ATTITUDES,
                  "Contact.status": CONTACT_STATUS, "current_level": RELATIONSHIP_STRENGTH,
                  "target_level": RELATIONSHIP_STRENGTH, "Interaction.kind": INTERACTION_KINDS},
    refs={"contact_id": (Contact, "name", None), "reports_to_id": (Contact, "name", None),
          "department_id": (Department, "name", None), "Department.parent_id": (Department, "name", None)},
)
