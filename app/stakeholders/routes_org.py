"""The drawn org chart: the page, a card's "reports to" picker, and the move (drag or picker) with undo."""
from dataclasses import dataclass

from flask import flash, request, url_for
from flask_login import current_user

from app.access import account_view, can, child_or_404
from app.concurrency import StaleEdit, theirs
from app.htmx import is_htmx, redirect_to, render, saved
from app.stakeholders import bp, orgdraw, orgsvg, services, views
from app.stakeholders.forms import ReportsToForm
from app.stakeholders.models import Contact
from app.timeutil import today
from app.translate import gettext as _

_SENTINEL = 987654321  # stands for the contact id in the URL templates the cards carry


@dataclass
class OrgView:
    """How the chart is drawn; kept in the URL and carried by every move so the page stays put."""

    group: bool = True
    coverage: bool = False
    show_left: bool = True
    department_id: int | None = None

    @classmethod
    def read(cls, values):
        left = values.getlist("left")  # the checkbox follows a hidden "0": the last one counts
        return cls(group=values.get("group") != "none", coverage=values.get("coverage") == "1",
                   show_left=(left[-1] if left else "1") != "0", department_id=values.get("department", type=int))

    def args(self):
        """The view as URL parameters (defaults left out)."""
        out = {}
        if not self.group:
            out["group"] = "none"
        if self.coverage:
            out["coverage"] = "1"
        if not self.show_left:
            out["left"] = "0"
        if self.department_id:
            out["department"] = self.department_id
        return out


def org_context(account, view, pick=None, form=None, notice=None, error=None, conflict=None):
    """The chart (one drawing per department, or one of everyone), the picker and the legend."""
    smap = services.load_map(account.id)
    if view.department_id not in {d.id for d in smap.departments}:
        view.department_id = None
    chart = orgdraw.draw(smap, today(), group=view.group, coverage=view.coverage,
                         show_left=view.show_left, department_id=view.department_id)
    if pick is not None and form is None:
        form = ReportsToForm(formdata=None, obj=pick)
        form.read_version(pick)
    if form is not None:
        form.reports_to_id.choices = views.contact_choices(smap.contacts, exclude=pick.id)
        if pick.reports_to_id and pick.reports_to_id not in dict(form.reports_to_id.choices):
            # A manager who has left stays selectable, so the picker does not silently cut the line.
            form.reports_to_id.choices.append((pick.reports_to_id, _("(left)")))
    names = {c.id: c for c in smap.contacts}
    args = view.args()
    live = {"pick": url_for("stakeholders.org_pick", account_id=account.id, contact_id=_SENTINEL, **args)
            .replace(str(_SENTINEL), "{id}")}
    return {"account": account, "smap": smap, "chart": chart, "view": view, "view_args": args,
            "pick": pick, "form": form, "notice": notice, "error": error, "conflict": conflict,
            "theirs": theirs(form, pick, ["reports_to_id"]) if conflict else (),
            "manager": names.get(pick.reports_to_id) if pick is not None else None,
            "reports": [c for c in smap.contacts if pick is not None and c.reports_to_id == pick.id],
            "live": live, "can_move": can("write"),
            "move_url": url_for("stakeholders.reports_to", account_id=account.id, contact_id=_SENTINEL)
            .replace(str(_SENTINEL), "{id}"),
            "svg": lambda drawing, label="": orgsvg.render(drawing, lang=_lang(), live=live, label=label),
            "legend": orgsvg.legend(coverage=view.coverage)}


def _lang():
    from flask_babel import get_locale

    return "zh" if str(get_locale()).startswith("zh") else "en"


def _page(status=200, **ctx):
    return render("stakeholders/org.html", "stakeholders/_org.html", status=status, **ctx)


@bp.route("/accounts/<int:account_id>/stakeholders/org")
@account_view()
def org(account):
    """The drawn org chart: by department or in one piece, with our coverage on it if asked."""
    return _page(**org_context(account, OrgView.read(request.args)))


@bp.route("/accounts/<int:account_id>/stakeholders/org/contacts/<int:contact_id>")
@account_view()
def org_pick(account, contact_id):
    """The chart with one card chosen: its "reports to" picker (the keyboard and phone way to move)."""
    person = child_or_404(Contact, contact_id, account)
    return _page(**org_context(account, OrgView.read(request.args), pick=person))


@bp.route("/accounts/<int:account_id>/stakeholders/contacts/<int:contact_id>/reports-to", methods=["POST"])
@account_view()
def reports_to(account, contact_id):
    """Move a contact under another manager (a drag or the picker); a stale move answers 409."""
    person = child_or_404(Contact, contact_id, account)
    view = OrgView.read(request.form)
    form = ReportsToForm()
    ctx = org_context(account, view, pick=person, form=form)  # sets the choices it validates against
    if not form.validate():
        return _page(status=422, **(ctx | {"error": _("Choose a manager from the list.")}))
    before = ctx["manager"]
    try:
        changes = services.set_reports_to(current_user, person, form.reports_to_id.data, form.version.data)
    except StaleEdit as e:
        form.read_version(person)  # moving again now overrides, knowingly
        return _page(status=409, **org_context(account, view, pick=person, form=form, conflict=e))
    except services.StakeholderError as e:
        return _page(status=422, **(ctx | {"error": str(e)}))
    after = db_name(person.reports_to_id)
    if not changes:
        message = _("%(name)s already reports there.", name=person.name)
    elif after:
        message = _("%(name)s now reports to %(manager)s.", name=person.name, manager=after)
    else:
        message = _("%(name)s now reports to nobody on the chart.", name=person.name)
    notice = {"message": message, "undo": changes and request.form.get("undo") != "1",
              "undo_to": before.id if before else "", "version": person.version, "contact": person}
    if not is_htmx():
        flash(message)
        return redirect_to(url_for("stakeholders.org", account_id=account.id, **view.args()))
    saved(message)
    return _page(**org_context(account, view, notice=notice))


def db_name(contact_id):
    """The name of a contact by id ("" for none)."""
    from app.extensions import db

    return db.session.scalar(db.select(Contact.name).where(Contact.id == contact_id)) if contact_id else ""


@bp.app_template_global("org_svg")
def org_svg(drawing, lang="en", fit=None, label="", image=False):
    """A drawing from orgdraw as SVG, for the review's preview and PDF (fit: max (w, h) in mm;
    image: as an <img> of the SVG, for the PDF)."""
    svg = orgsvg.render(drawing, lang=lang, fit=fit, label=label)
    return orgsvg.as_image(svg, label) if image else svg


@bp.app_template_global("org_legend")
def org_legend(coverage=True):
    """The legend's (swatch, text) pairs in the current language."""
    return orgsvg.legend(coverage=coverage)


@bp.app_template_global("org_legend_svg")
def org_legend_svg(coverage=True, image=False):
    """The legend as one SVG, for paper (image: as an <img> of it, for the PDF)."""
    svg = orgsvg.legend_svg(orgsvg.legend(coverage=coverage))
    return orgsvg.as_image(svg, cls="org-legend-svg") if image else svg
