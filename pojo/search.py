"""Search and filters on the lists that grow: one GET form's fields and one way to match text.

A list's filter form subclasses :class:`ListFilterForm` (no CSRF: it only
reads) and its service narrows the query with :func:`matching`. Text is
matched case-insensitively on both databases with the wildcards people type
(``%`` and ``_``) taken literally: PostgreSQL's ``lower()`` folds ä and Ö by
its locale, SQLite's only folds ASCII, so on SQLite ``pojo_fold`` (Python's
``str.lower``, registered on every connection by ``database.configure_sqlite``)
stands in for it. The paginator's links keep the query string, so a filter
holds across pages.
"""

from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import String, and_, or_, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from wtforms import DateField, SearchField
from wtforms.validators import Optional, ValidationError

from pojo.bounds import SEARCH_LENGTH, SEARCH_WORDS
from pojo.rows import site_zone

# The dates a filter may name: nothing Pojo recorded lies outside them.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2999, 12, 31)
DATE_MESSAGE = _l("A date such as 2026-12-24, from 2000 on.")
SEARCH_MESSAGE = _l("A search is at most %(max)s characters long.")


class folded(FunctionElement):
    """A text column in lower case, the same way on PostgreSQL and SQLite."""

    type = String()
    name = "folded"
    inherit_cache = True


@compiles(folded)
def _folded_default(element, compiler, **kw):
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(folded, "sqlite")
def _folded_sqlite(element, compiler, **kw):
    return f"pojo_fold({compiler.process(element.clauses, **kw)})"


def like_pattern(word: str) -> str:
    """`word` anywhere in a text, its LIKE wildcards and the escape character taken literally."""
    escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_words(text: str | None) -> list[str]:
    """The words of a search, at most SEARCH_WORDS of them (the rest adds nothing useful)."""
    return (text or "").split()[:SEARCH_WORDS]


def matching(text: str | None, *columns):
    """The condition that each word of `text` is in one of `columns` (always true for no words)."""
    words = search_words(text)
    if not words:
        return true()
    return and_(
        *(
            or_(*(folded(column).like(like_pattern(word), escape="\\") for column in columns))
            for word in words
        )
    )


def start_of(day: date) -> datetime:
    """The first moment of `day` in the site's time zone, in UTC (a date filter's bound)."""
    return datetime.combine(day, time.min, tzinfo=site_zone()).astimezone(UTC)


def within_days(column, since: date | None, until: date | None) -> list:
    """Conditions keeping `column` (a UTC time) within the site's days `since` to `until`."""
    conditions = []
    if since:
        conditions.append(column >= start_of(since))
    if until:
        conditions.append(column < start_of(until + timedelta(days=1)))
    return conditions


class FilterDateField(DateField):
    """A day of a filter: anything but a real date from FIRST_DAY to LAST_DAY is an error."""

    def process_formdata(self, valuelist):
        if valuelist and not valuelist[0].strip():
            self.data = None
            return
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(DATE_MESSAGE) from error
        if self.data is not None and not FIRST_DAY <= self.data <= LAST_DAY:
            self.data = None
            raise ValueError(DATE_MESSAGE)


class ListFilterForm(FlaskForm):
    """A list's search box and filters, read from the query string (a GET form: no CSRF)."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Search"),
        validators=[Optional()],
        filters=[lambda text: text.strip() if isinstance(text, str) else text],
    )

    def validate_q(self, field):
        if field.data and len(field.data) > SEARCH_LENGTH:
            raise ValidationError(SEARCH_MESSAGE % {"max": SEARCH_LENGTH})

    def is_filtered(self) -> bool:
        """Whether anything narrows the list (then the page counts matches and offers "clear")."""
        return bool(self.q.data) or self.has_filters()

    def has_filters(self) -> bool:
        """Whether a filter other than the search box is set (its panel then starts open)."""
        return any(self.narrows(field) for field in self if field.name != "q")

    def narrows(self, field) -> bool:
        """Whether `field` holds something other than its "any" value."""
        return field.data not in (None, "", False)


class DateRangeMixin:
    """`since` and `until` fields of a filter form: the end is not before the start."""

    since = FilterDateField(_l("From"), validators=[Optional()])
    until = FilterDateField(_l("To"), validators=[Optional()])

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date is before the start date."))
