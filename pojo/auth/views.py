"""Login, logout and the employee's own settings."""

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_user, logout_user

from pojo.auth import service
from pojo.auth.forms import LanguageForm, LoginForm, PasswordForm
from pojo.auth.personal_data import personal_data_json
from pojo.auth.throttle import LoginLimits
from pojo.database import utcnow
from pojo.errors import DomainError, LoginThrottled
from pojo.extensions import login_manager
from pojo.forms import form_status
from pojo.people.models import LANGUAGES
from pojo.policy import EVERYONE, PUBLIC
from pojo.web import allow, local_path, sections

bp = Blueprint("auth", __name__)

# The session cookie's key for the token of the server-side session (pojo.auth.models.UserSession).
SESSION_TOKEN = "session_token"


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
                LoginLimits.from_config(current_app.config),
            )
        except LoginThrottled as error:
            form.form_errors.append(error.message)
            headers = {"Retry-After": str(error.details["retry_after"])}
            return render_template("auth/login.html", form=form), 429, headers
        if employee is None:
            # A 200, so the commit point keeps the failure counted (SQLite counts in this transaction).
            form.form_errors.append(_("Wrong username or password, or the account is not active."))
            return render_template("auth/login.html", form=form)
        next_page = _safe_next(request.args.get("next"))
        # A fresh cookie: nothing from before the login survives, the CSRF token included.
        session.clear()
        g.pop("csrf_token", None)
        login_user(employee)
        session[SESSION_TOKEN] = service.start_session(employee)
        return redirect(service.page_after_login(employee, next_page))
    status = form_status(form)
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@allow(EVERYONE)
def logout():
    service.end_session(session.get(SESSION_TOKEN))
    logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/settings", methods=["GET", "POST"])
@allow(EVERYONE)
def settings():
    language_form = LanguageForm(prefix="lang", language=current_user.language)
    password_form = PasswordForm(prefix="pw")
    if "lang-language" in request.form and language_form.validate_on_submit():
        service.set_language(current_user, language_form.language.data)
        refresh()  # say it in the language just chosen
        flash(_("Language saved."), "success")
        return redirect(url_for("auth.settings"))
    if "pw-new" in request.form and password_form.validate_on_submit():
        try:
            service.change_password(
                current_user,
                password_form.current.data,
                password_form.new.data,
                keep_session=session.get(SESSION_TOKEN),
            )
        except DomainError as error:
            password_form.current.errors.append(error.message)
            return _settings_page(language_form, password_form), 422
        flash(_("Password changed. Your other sessions have ended."), "success")
        return redirect(url_for("auth.settings"))
    status = 422 if request.method == "POST" else 200
    return _settings_page(language_form, password_form), status


def _settings_page(language_form, password_form) -> str:
    # Other features' panels (the e-mail choice) through `Feature.sections["settings"]`.
    return render_template(
        "auth/settings.html",
        language_form=language_form,
        password_form=password_form,
        sections=sections("settings", employee=current_user),
    )


@bp.route("/settings/my-data.json")
@allow(EVERYONE)
def my_data():
    """Everything Pojo holds about the one logged in, as a JSON download (nobody else's)."""
    body = personal_data_json(current_user)
    filename = f"pojo-{current_user.username}-{utcnow():%Y-%m-%d}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/language/<code>", methods=["POST"])
@allow(PUBLIC)
def choose_language(code: str):
    """The header's language switch, for everyone: back to the page it was pressed on.

    A visitor's choice is kept in a cookie; a logged-in employee's is saved as their
    setting too (which outranks the cookie), so it follows them to another device.
    The cookie is set for both, so the login page after a logout stays in that language.
    """
    response = redirect(_safe_next(request.form.get("next") or request.args.get("next")))
    if code not in LANGUAGES:
        return response
    if current_user.is_authenticated:
        service.set_language(current_user, code)
    response.set_cookie(
        "lang",
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],  # over HTTPS, like the session's
    )
    return response


@login_manager.user_loader
def load_user(user_id: str):
    try:
        employee_id, version = (int(part) for part in user_id.split(":"))
    except ValueError:
        return None
    if not (0 < employee_id < 2**31 and 0 < version < 2**31):
        return None
    return service.session_user(employee_id, version, session.get(SESSION_TOKEN))
