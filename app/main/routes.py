"""Home and language switch."""
from flask import redirect, request, url_for
from flask_login import current_user, login_required

from app.actions.services import my_actions
from app.auth import services as auth_services
from app.htmx import redirect_to, render
from app.main import bp
from app.team.services import my_memberships


@bp.route("/")
@login_required
def home():
    """What is mine: my accounts (later issues add actions and changes)."""
    actions, total = my_actions(current_user, limit=HOME_ACTIONS)
    return render("main/home.html", memberships=my_memberships(current_user),
                  actions=actions, total=total, page=1, page_size=HOME_ACTIONS)


HOME_ACTIONS = 10


@bp.route("/language", methods=["POST"])
@login_required
def language():
    """Set my language and come back to the page I was on."""
    auth_services.set_language(current_user, request.form.get("language"))
    back = request.form.get("next") or ""
    if not back.startswith("/") or back.startswith("//"):
        back = url_for("main.home")
    if request.headers.get("HX-Request") == "true":
        return redirect_to(back)
    return redirect(back)
