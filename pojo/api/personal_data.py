"""The API's part of an employee's personal data download: their tokens (never the secrets)."""

from sqlalchemy import select

from pojo import bounds
from pojo.api.models import ApiToken
from pojo.extensions import db
from pojo.people.models import Employee


def api_tokens(employee: Employee) -> list[dict]:
    """Each API token's name and dates, newest first: no token, hash or prefix."""
    rows = db.session.scalars(
        select(ApiToken)
        .where(ApiToken.employee_id == employee.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        .limit(bounds.PERSONAL_DATA_ROWS)
    )
    return [
        {
            "name": row.name,
            "created_at": row.created_at,
            "last_used_at": row.last_used_at,
            "revoked_at": row.revoked_at,
        }
        for row in rows
    ]


PARTS = {"api_tokens": api_tokens}
