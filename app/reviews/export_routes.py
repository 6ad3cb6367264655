"""The quarter export: pick accounts and a quarter, watch the worker's progress, download the ZIP."""
from flask import abort, flash, make_response, request, send_file, url_for
from flask_login import current_user, login_required

from app.htmx import redirect_to, render
from app.reviews import bp, export
from app.reviews.forms import ExportForm
from app.reviews.services import ReviewError
from app.translate import gettext as _


def _page(form, status=200, error=None):
    return render("reviews/export.html", status=status, form=form, error=error,
                  jobs=export.recent_jobs(current_user))


@bp.route("/reviews/export", methods=["GET", "POST"])
@login_required
def export_page():
    """A manager exports the reviews of a tier, or of all their accounts, for a quarter, as one ZIP."""
    form = ExportForm()
    if request.method == "GET":
        form.quarter.data = form.quarter.data or export.default_quarter()
        return _page(form)
    if not form.validate():
        return _page(form, 422)
    try:
        job, created = export.start_export(current_user, form.quarter.data, form.scope.data, form.paper.data,
                                           form.lang.data or None)
    except ReviewError as exc:
        return _page(form, 422, str(exc))
    if not created:
        flash(_("Your export of %(quarter)s is still being built; here it is. "
                "A new one can start when it has finished.", quarter=job.quarter))
    return redirect_to(url_for("reviews.export_page", job=job.id))


def _job_or_error():
    """The user's job named by ?job=: 400 without a job number, 404 if it is not theirs."""
    try:
        job_id = int(request.args.get("job", ""))
    except ValueError:
        abort(400)
    job = export.job_of(current_user, job_id)
    if job is None:
        abort(404)
    return job


@bp.route("/reviews/export/progress")
@login_required
def export_progress():
    """The job's progress bar (htmx polls it every second until the job is finished)."""
    job = _job_or_error()
    return render("reviews/job_page.html", "reviews/_job.html", job=job)


@bp.route("/reviews/export/download")
@login_required
def export_download():
    """The finished ZIP."""
    job = _job_or_error()
    if job.status == "expired":
        return make_response(_("This export was removed after a few days; start it again."), 410)
    path = export.file_path(job) if job.status == "done" else None
    if path is None:
        return make_response(_("This export is not ready yet."), 409)
    return send_file(path, mimetype="application/zip", as_attachment=True,
                     download_name=f"reviews-{job.quarter}-{job.id}.zip", max_age=0)
