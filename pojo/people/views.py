"""People pages for HR, admin and supervisors."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select

from pojo.extensions import db
from pojo.ledger.models import Balance
from pojo.people.models import Employee, Team
from pojo.web import STAFF, allow

bp = Blueprint("people", __name__)


@bp.route("/people")
@allow(*STAFF)
def index():
    query = (
        select(Employee, Balance.points)
        .outerjoin(Balance, Balance.employee_id == Employee.id)
        .order_by(Employee.display_name)
    )
    if current_user.role == "supervisor":
        query = query.where(Employee.team_id.in_([t.id for t in current_user.supervised_teams]))
    rows = db.session.execute(query).all()
    teams = db.session.scalars(select(Team).order_by(Team.name)).all()
    return render_template("people/index.html", rows=rows, teams=teams)
