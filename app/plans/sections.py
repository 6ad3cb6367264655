"""The plan's card on the account overview, and its labels in the audit record."""
from app.accounts.sections import register_section
from app.audit import labels
from app.plans.objectives import overview_summary
from app.plans.vocab import HORIZONS, OBJECTIVE_STATUS, OPPORTUNITY_STAGES, SWOT
from app.translate import lazy_gettext as _l
from app.vocab import ACTION_STATUS

register_section("plan", 20, "plans/_section.html", overview_summary)

labels.register(
    objects={"Plan": _l("account plan"), "BusinessSection": _l("customer business"),
             "PositionSection": _l("our position"), "SwotItem": _l("SWOT line"),
             "Objective": _l("objective"), "Opportunity": _l("opportunity"),
             "ActionItem": _l("action")},
    fields={"strategy": _l("Strategy and goals"), "short_term_needs": _l("Short-term needs"),
            "long_term_needs": _l("Long-term needs"), "financial_notes": _l("Financial notes"),
            "initiatives": _l("Current initiatives"), "competitors": _l("Competitors"),
            "industry_position": _l("Industry position"), "annual_value": _l("Current annual value"),
            "category_spend": _l("Their total spend in our category"),
            "potential": _l("Potential annual value"), "narrative": _l("Our position in a few lines"),
            "quadrant": _l("List"), "text": _l("Text"), "horizon": _l("Horizon"),
            "owner_id": _l("Owner"), "target_date": _l("Target date"), "target_value": _l("Target value"),
            "status": _l("Status"), "progress": _l("Progress"), "value": _l("Value"),
            "expected_close": _l("Expected close"), "probability": _l("Probability"),
            "stage": _l("Stage"), "reason": _l("Why won or lost"), "closed_on": _l("Closed"),
            "year": _l("Year"), "closed_at": _l("Closed"), "due_on": _l("Due"), "done_on": _l("Done on"),
            "position": _l("Position")},
    value_vocabs={"horizon": HORIZONS, "quadrant": SWOT, "stage": OPPORTUNITY_STAGES},
)
labels.register(value_vocabs={"Objective.status": OBJECTIVE_STATUS, "ActionItem.status": ACTION_STATUS})
labels.ACTIONS.setdefault("move", _l("moved"))
labels.ACTIONS.setdefault("close", _l("closed"))
