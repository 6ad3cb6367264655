"""The shared account plan: customer business, SWOT, our position, objectives, opportunities."""
from flask import Blueprint

bp = Blueprint("plans", __name__)


@bp.app_context_processor
def plan_vocabularies():
    """The plan's vocabularies for templates (the overview card uses them too)."""
    from app.plans import vocab
    return {"plan_vocab": vocab}


from app.plans import routes, sections  # noqa: E402,F401
