"""An employee's personal data download: every feature's part, gathered in feature order.

Each feature says what it holds about an employee in `Feature.personal_data`; this
module only gathers the parts for the one employee logged in, so no parameter can
select another person. The sessions are auth's own part (times only, never a token).
"""

import json
from datetime import date, datetime

from pojo import bounds
from pojo.auth.models import UserSession
from pojo.database import utcnow
from pojo.features import installed
from pojo.people.models import Employee
from pojo.rows import newest_rows


def sessions(employee: Employee) -> list[dict]:
    """Their logins: when each began and ended (no token, no id), newest first."""
    rows = newest_rows(UserSession, UserSession.employee_id == employee.id, UserSession.created_at)
    return [{"started_at": row.created_at, "ended_at": row.ended_at} for row in rows]


PARTS = {"sessions": sessions}


def personal_data(employee: Employee) -> dict:
    """Everything Pojo holds about `employee`, part by part, in feature order."""
    data: dict = {
        "exported_at": utcnow(),
        "employee": employee.username,
        "rows_per_list_at_most": bounds.PERSONAL_DATA_ROWS,
    }
    for name, provider in installed().personal_data.items():
        data[name] = provider(employee)
    return data


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def personal_data_json(employee: Employee) -> str:
    """`personal_data` as readable JSON text."""
    return json.dumps(personal_data(employee), default=_plain, ensure_ascii=False, indent=2)
