"""What an e-mail notice says: the in-app notice's own words, a link, and why it came."""

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from pojo.features import installed
from pojo.mail.categories import Category
from pojo.notifications.service import link_to


def base_url() -> str:
    """Pojo's address for links in e-mails: POJO_BASE_URL, else from SERVER_NAME, else ""."""
    config = current_app.config
    if config.get("BASE_URL"):
        return config["BASE_URL"]
    if config.get("SERVER_NAME"):
        return f"{config.get('PREFERRED_URL_SCHEME') or 'http'}://{config['SERVER_NAME']}"
    return ""


def absolute(link: str | None) -> str | None:
    """A site-relative link as an address to open from a mailbox; None when Pojo has none."""
    base = base_url()
    if not link or not base or not link.startswith("/") or link.startswith("//"):
        return None
    return base + link


def compose(kind: str, params: dict, link: str | None, language: str, category: Category):
    """(subject, body) of the e-mail for one notice, in `language`."""
    with force_locale(language):
        text = installed().notices[kind](params, language)
        lines = [text, ""]
        page = absolute(link)
        if page:
            lines += [_("Open it in Pojo: %(url)s", url=page), ""]
        lines.append("-- ")
        lines.append(
            _(
                "You get this e-mail because e-mail for “%(category)s” is on in your Pojo settings.",
                category=str(category.label),
            )
        )
        settings = absolute(link_to("auth.settings") + "#email")  # the choice's panel
        if settings:
            lines.append(_("Choose which notices reach you by e-mail: %(url)s", url=settings))
        subject = _("Pojo: %(subject)s", subject=str(category.subject))
    return subject[:255], "\n".join(lines) + "\n"
