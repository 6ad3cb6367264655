"""Home and language switch."""
from flask import redirect, request
from flask_login import current_user, login_required

from app.actions.services import my_actions
from app.auth import services as auth_services
from app.health import home as home_changes
from app.health import services as health
from app.health.routes import health_key
from app.htmx import redirect_to, render
from app.main import bp
from app.security import local_path
from app.team.services import my_memberships
from app.templating import fragment

HOME_ACTIONS = 10


@bp.app_template_global()
def home_row(m, h, trend, direction):
    """One row of the home page's "My accounts" (main/_home_row.html), rendered once a process for
    the same values and language (templating.fragment): the same forty rows each visit."""
    weakest = h.weakest
    key = (m.account.id, m.account.name, m.account.tier, m.role, weakest and str(weakest.sentence),
           health_key(h, trend, direction))
    return fragment("main/_home_row.html", "row", key, m, h, trend, direction)


@bp.route("/")
@login_required
def home():
    """What is mine: open actions soonest first, my accounts with health, what changed since I last looked."""
    actions, total = my_actions(current_user, limit=HOME_ACTIONS)
    memberships = my_memberships(current_user)
    ids = [m.account_id for m in memberships]
    scores = health.health_for(ids)
    trends, directions = health.trends_and_directions(ids, scores)
    # By name, the accounts without enough data to score in their own group after the others.
    memberships = sorted(memberships, key=lambda m: (not scores[m.account_id].enough, m.account.name))
    since = home_changes.mark_seen(current_user)
    return render("main/home.html", memberships=memberships, actions=actions, total=total, page=1,
                  page_size=HOME_ACTIONS, health=scores, directions=directions, trends=trends,
                  since=since, changes=home_changes.changes_since(current_user, since),
                  account_names={m.account_id: m.account.name for m in memberships})


@bp.route("/language", methods=["POST"])
@login_required
def language():
    """Set my language and come back to the page I was on."""
    auth_services.set_language(current_user, request.form.get("language"))
    back = local_path(request.form.get("next"))
    if request.headers.get("HX-Request") == "true":
        return redirect_to(back)
    return redirect(back)
