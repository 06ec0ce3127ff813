"""Login, logout and the employee's own settings."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from pojo.auth import service
from pojo.auth.forms import LanguageForm, LoginForm, PasswordForm
from pojo.errors import DomainError
from pojo.extensions import login_manager
from pojo.web import EVERYONE, PUBLIC, allow, local_path

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    return local_path(target) or url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            employee = service.authenticate(
                form.username.data,
                form.password.data,
                request.remote_addr,
                max_failures=current_app.config["LOGIN_MAX_FAILURES"],
                window_minutes=current_app.config["LOGIN_WINDOW_MINUTES"],
            )
        except DomainError as error:
            form.form_errors.append(error.message)
            return render_template("auth/login.html", form=form), 429
        if employee is None:
            # Recorded as a failed attempt: this response must commit, so it is a 200.
            form.form_errors.append(_("Wrong username or password, or the account is not active."))
            return render_template("auth/login.html", form=form)
        login_user(employee)
        return redirect(_safe_next(request.args.get("next")))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@allow(EVERYONE)
def logout():
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/settings", methods=["GET", "POST"])
@allow(EVERYONE)
def settings():
    language_form = LanguageForm(prefix="lang", language=current_user.language)
    password_form = PasswordForm(prefix="pw")
    if "lang-language" in request.form and language_form.validate_on_submit():
        service.set_language(current_user, language_form.language.data)
        flash(_("Language saved."), "success")
        return redirect(url_for("auth.settings"))
    if "pw-new" in request.form and password_form.validate_on_submit():
        try:
            service.change_password(
                current_user, password_form.current.data, password_form.new.data
            )
        except DomainError as error:
            password_form.current.errors.append(error.message)
            return render_template(
                "auth/settings.html", language_form=language_form, password_form=password_form
            ), 422
        login_user(
            current_user._get_current_object()
        )  # keep this session valid under the new session version
        flash(_("Password changed. Your other sessions have ended."), "success")
        return redirect(url_for("auth.settings"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "auth/settings.html", language_form=language_form, password_form=password_form
    ), status


@bp.route("/language/<code>", methods=["POST"])
@allow(PUBLIC)
def choose_language(code: str):
    """Language switch for visitors who are not logged in (kept in a cookie)."""
    response = redirect(_safe_next(request.form.get("next")))
    if code in ("fi", "en"):
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


@login_manager.user_loader
def load_user(user_id: str):
    from pojo.extensions import db
    from pojo.people.models import Employee

    try:
        employee_id, version = (int(part) for part in user_id.split(":"))
    except ValueError:
        return None
    employee = db.session.get(Employee, employee_id)
    if employee is None or employee.session_version != version or not employee.active:
        return None
    return employee
