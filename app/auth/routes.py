"""Log in and out, change password, and the admin's user pages."""
from flask import flash, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.access import admin_required
from app.auth import bp, services
from app.auth.forms import EmptyForm, LoginForm, NewUserForm, PasswordForm, UserEditForm
from app.concurrency import StaleEdit, theirs
from app.extensions import db, login
from app.htmx import redirect_to, render
from app.security import count_failed_login, local_path, login_wait
from app.translate import gettext as _
from app.translate import ngettext


@login.user_loader
def load_user(session_id):
    return services.load_session_user(session_id)


@login.unauthorized_handler
def unauthorized():
    """Send people to log in; htmx gets HX-Redirect because it ignores a 302."""
    target = url_for("auth.login_page", next=request.full_path if request.method == "GET" else None)
    if request.headers.get("HX-Request") == "true":
        resp = redirect_to(url_for("auth.login_page"))
        resp.status_code = 401
        return resp
    return redirect(target)


@bp.route("/login", methods=["GET", "POST"])
def login_page():
    """Log in with e-mail and password; failures are throttled per address and e-mail."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if request.method == "POST":
        address, email = request.remote_addr, request.form.get("email")
        wait = login_wait(address, email)
        if wait:
            minutes = -(-wait // 60)
            form.password.errors = [ngettext(
                "Too many failed log-ins for this e-mail. Try again in %(num)d minute.",
                "Too many failed log-ins for this e-mail. Try again in %(num)d minutes.", minutes)]
            resp = make_response(render_template("auth/login.html", form=form), 429)
            resp.headers["Retry-After"] = str(wait)
            return resp
        if form.validate_on_submit():
            user = services.authenticate(form.email.data, form.password.data)
            if user:
                session.clear()  # a fresh session at log-in: no fixation
                login_user(user, remember=form.remember.data)
                return redirect(local_path(request.args.get("next")))
            form.password.errors.append(_("E-mail or password is not right."))
        count_failed_login(address, email)
        return render_template("auth/login.html", form=form), 422
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out and end the session."""
    EmptyForm().validate_on_submit()
    if current_user.is_authenticated:
        services.end_sessions(current_user._get_current_object())  # a replayed cookie is refused
    logout_user()
    session.clear()
    flash(_("You are logged out."))
    return redirect_to(url_for("auth.login_page"))


@bp.route("/me/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.new.data)
        except services.UserError as e:
            form.current.errors.append(str(e))
        else:
            login_user(current_user._get_current_object())  # new session version: keep this session
            flash(_("Your password is changed. Other sessions are logged out."))
            return redirect(url_for("main.home"))
    status = 422 if form.errors else 200
    return render_template("auth/password.html", form=form), status


@bp.route("/admin/users", methods=["GET", "POST"])
@admin_required
def users():
    """List users and create one."""
    form = NewUserForm()
    if form.validate_on_submit():
        data = {f: getattr(form, f).data for f in ("email", "name", "title", "seniority", "is_admin", "password")}
        try:
            services.create_user(current_user, language=form.language.data or None, **data)
        except services.UserError as e:
            form.email.errors.append(str(e))
        else:
            flash(_("User %(name)s created.", name=form.name.data))
            return redirect_to(url_for("auth.users"))
    status = 422 if form.errors else 200
    return render("auth/users.html", "auth/_new_user_form.html", status=status,
                  form=form, users=services.list_users(), toggle=EmptyForm())


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def edit_user(user_id):
    """Edit a user's profile."""
    from app.auth.models import User

    user = db.get_or_404(User, user_id)
    form = UserEditForm(obj=user)
    if request.method == "GET":
        form.language.data = user.language or ""
        form.read_version(user)
    conflict = None
    if form.validate_on_submit():
        data = {f: getattr(form, f).data for f in ("email", "name", "title", "seniority", "is_admin", "language")}
        try:
            services.update_user(current_user, user, version=form.version.data, **data)
        except services.LastAdmin as e:
            db.session.rollback()
            form.is_admin.errors.append(str(e))
            return render_template("auth/edit_user.html", form=form, u=user), 409
        except services.UserError as e:
            form.email.errors.append(str(e))
        except StaleEdit as e:
            conflict = e
            form.read_version(user)  # saving again now overwrites, knowingly
        else:
            flash(_("Saved."))
            return redirect_to(url_for("auth.users"))
    status = 409 if conflict else (422 if form.errors else 200)
    return render_template("auth/edit_user.html", form=form, u=user, conflict=conflict,
                           theirs=theirs(form, user) if conflict else ()), status


@bp.route("/admin/users/<int:user_id>/active", methods=["POST"])
@admin_required
def toggle_active(user_id):
    """Deactivate or reactivate a user."""
    from app.auth.models import User

    user = db.get_or_404(User, user_id)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            services.set_active(current_user, user, not user.active)
        except services.UserError as e:
            db.session.rollback()
            flash(str(e), "error")
            return render("auth/users.html", status=409, form=NewUserForm(formdata=None),
                          users=services.list_users(), toggle=EmptyForm())
    return redirect_to(url_for("auth.users"))
