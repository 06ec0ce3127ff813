"""Moving in, people: `flask user import`, its page, and the one-time set-password links."""

import io
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from pojo.extensions import db
from pojo.history.models import PasswordLink
from pojo.people.models import Employee

HEADER = "username,name,email,role,team,employment_type,agency,contract_end\n"
PEOPLE = (
    "aino.aalto,Aino Aalto,aino@example.com,agent,Alpha,permanent,,\n"
    "tuomas.temp,Tuomas Temp,,agent,Night shift,temp,Staffpoint,2027-06-30\n"
    "sara.super,Sara Super,sara@example.com,supervisor,Alpha,permanent,,\n"
)


def users_file(body: str = PEOPLE) -> bytes:
    return (HEADER + body).encode()


def run(runner, tmp_path, data: bytes, *args):
    path = tmp_path / "users.csv"
    path.write_bytes(data)
    return runner.invoke(args=["user", "import", *args, str(path)])


def employee(app, username):
    with app.app_context():
        found = db.session.scalar(select(Employee).where(Employee.username == username))
        return found and (found.display_name, found.role, found.team.name, found.agency_name)


def test_users_are_created_with_links_and_the_same_file_again_changes_nothing(
    app, runner, tmp_path
):
    result = run(runner, tmp_path, users_file())
    assert result.exit_code == 0, result.output
    assert "3 new, 0 changed, 0 unchanged, 0 rejected; 2 new teams" in result.output
    assert employee(app, "tuomas.temp") == ("Tuomas Temp", "agent", "Night shift", "Staffpoint")
    assert len(re.findall(r"/set-password/\S+", result.output)) == 3
    again = run(runner, tmp_path, users_file())
    assert "0 new, 0 changed, 3 unchanged" in again.output
    changed = run(runner, tmp_path, users_file(PEOPLE.replace("Aino Aalto", "Aino Aalto-Koski")))
    assert "0 new, 1 changed, 2 unchanged" in changed.output
    assert employee(app, "aino.aalto")[0] == "Aino Aalto-Koski"


def test_bad_rows_are_listed_by_line_and_nothing_is_created(app, runner, tmp_path):
    body = (
        "aino.aalto,Aino,aino@example.com,agent,Alpha,permanent,,\n"
        "bad name!,X,,agent,Alpha,permanent,,\n"
        "x.y,X,not-an-email,agent,Alpha,permanent,,\n"
        "x.z,X,,boss,Alpha,permanent,,\n"
        "x.t,X,,agent,Alpha,temp,,\n"
        "x.p,X,,agent,Alpha,permanent,Staffpoint,\n"
        "x.q,X,,agent,Alpha,temp,Staffpoint,31.12.2026\n"
    )
    result = run(runner, tmp_path, users_file(body))
    assert result.exit_code == 1
    assert sorted(int(n) for n in re.findall(r"line (\d+):", result.output)) == [3, 4, 5, 6, 7, 8]
    assert employee(app, "aino.aalto") is None


def test_hr_may_not_make_an_admin(app, runner, tmp_path, make_employee):
    make_employee("hanna", role="hr")
    body = "boss.man,Boss,,admin,Office,permanent,,\n"
    result = run(runner, tmp_path, users_file(body), "--as", "hanna")
    assert result.exit_code == 1 and "Only an admin can make someone HR or admin" in result.output
    assert employee(app, "boss.man") is None
    make_employee("adele", role="admin")
    assert run(runner, tmp_path, users_file(body), "--as", "adele").exit_code == 0


def _link(app, client, output):
    return re.search(r"(/set-password/\S+)", output).group(1)


def test_a_set_password_link_works_once_and_is_stored_hashed(app, runner, tmp_path):
    result = run(runner, tmp_path, users_file("aino.aalto,Aino,,agent,Alpha,permanent,,\n"))
    path = re.search(r"(/set-password/\S+)", result.output).group(1)
    token = path.rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.scalars(select(PasswordLink.token_hash)).all()
        assert stored and token not in stored[0] and len(stored[0]) == 64
    client = app.test_client()
    assert client.get(path).status_code == 200
    short = client.post(path, data={"password": "short", "confirm": "short"})
    assert short.status_code == 422
    done = client.post(path, data={"password": "a fine password", "confirm": "a fine password"})
    assert done.status_code == 302
    login = client.post("/login", data={"username": "aino.aalto", "password": "a fine password"})
    assert login.status_code == 302
    assert app.test_client().get(path).status_code == 404  # dead after use


def test_an_expired_link_opens_nothing(app, runner, tmp_path):
    result = run(runner, tmp_path, users_file("aino.aalto,Aino,,agent,Alpha,permanent,,\n"))
    path = re.search(r"(/set-password/\S+)", result.output).group(1)
    with app.app_context():
        db.session.execute(
            update(PasswordLink).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        db.session.commit()
    client = app.test_client()
    assert client.get(path).status_code == 404
    response = client.post(path, data={"password": "a fine password", "confirm": "a fine password"})
    assert response.status_code == 404
    assert app.test_client().get("/set-password/" + "x" * 500).status_code == 404


def test_hr_imports_people_on_the_page_and_sees_the_links_once(app, client_as):
    hr = client_as("hr", team="Office")
    response = hr.post(
        "/import/users",
        data={"users-file": (io.BytesIO(users_file()), "people.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    preview = hr.get(response.location).get_data(as_text=True)
    assert "Night shift" in preview and "tuomas.temp" in preview
    applied = hr.post(response.location + "/apply")
    page = applied.get_data(as_text=True)
    assert applied.status_code == 200 and page.count("/set-password/") == 3
    assert "/set-password/" not in hr.get(response.location).get_data(as_text=True)
    assert employee(app, "sara.super")[1] == "supervisor"
