"""The API's part of an employee's personal data download: their tokens (never the secrets)."""

from pojo.api.models import ApiToken
from pojo.people.models import Employee
from pojo.rows import newest_rows


def api_tokens(employee: Employee) -> list[dict]:
    """Each API token's name and dates, newest first: no token, hash or prefix."""
    rows = newest_rows(ApiToken, ApiToken.employee_id == employee.id, ApiToken.created_at)
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
