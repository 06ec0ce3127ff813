"""Which categories of notice reach a person by e-mail: every one unless they turned it off."""

from sqlalchemy import delete, select

from pojo.extensions import db
from pojo.mail.categories import BY_NAME, CATEGORIES
from pojo.mail.models import MailOptOut


def chosen(employee_id: int) -> dict[str, bool]:
    """Each category's name -> whether its notices reach the employee by e-mail."""
    off = set(
        db.session.scalars(select(MailOptOut.category).where(MailOptOut.employee_id == employee_id))
    )
    return {category.name: category.name not in off for category in CATEGORIES}


def choose(actor, wanted: set[str]) -> bool:
    """The actor's own choice: e-mail for the categories in `wanted`, none for the rest.

    Writes only what changed; True when something did. An unknown name is a ValueError
    (the form offers only the categories).
    """
    unknown = wanted - set(BY_NAME)
    if unknown:
        raise ValueError(f"unknown mail categories {sorted(unknown)}")
    now = chosen(actor.id)
    turned_on = {name for name, on in now.items() if not on and name in wanted}
    turned_off = {name for name, on in now.items() if on and name not in wanted}
    if turned_on:
        db.session.execute(
            delete(MailOptOut).where(
                MailOptOut.employee_id == actor.id, MailOptOut.category.in_(turned_on)
            )
        )
    for name in sorted(turned_off):
        db.session.add(MailOptOut(employee_id=actor.id, category=name))
    db.session.flush()
    return bool(turned_on or turned_off)
