"""Moving in, history: `flask history import` and the import pages, whole file or nothing."""

import io
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from pojo.extensions import db
from pojo.history.models import HistoryImport
from pojo.ledger.models import Balance, LedgerEntry
from pojo.market.models import PriceState, Redemption, Reward
from pojo.notifications.models import Notification
from tests.market_helpers import add_reward

HEADER = "employee,at,kind,points,reward,note\n"
PAST = (datetime.now(UTC) - timedelta(days=30)).replace(microsecond=0)


def at(days: int) -> str:
    return (PAST + timedelta(days=days)).isoformat()


def history(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


def counts(app):
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (LedgerEntry, Redemption, HistoryImport, Reward)
        )


def balance(app, username):
    from pojo.people.service import find_employee

    with app.app_context():
        return db.session.get(Balance, find_employee(username).id).points


def run_import(runner, tmp_path, data: bytes, *args):
    path = tmp_path / "history.csv"
    path.write_bytes(data)
    return runner.invoke(args=["history", "import", *args, str(path)])


def test_a_year_of_history_becomes_backdated_entries_and_imported_redemptions(
    app, runner, tmp_path, make_employee
):
    make_employee("aino")
    make_employee("bo")
    reward_id = add_reward(app)  # "Massage" / "Hieronta"
    data = history(
        f"aino,{at(2)},redemption,250,hieronta,",  # after the award below, in time order
        f"aino,{at(1)},award,400,,bonus from the old system",
        f"bo,{at(3)},award,100,,",
        f"bo,{at(4)},redemption,60,Old Mug,",
    )
    result = run_import(runner, tmp_path, data)
    assert result.exit_code == 0, result.output
    assert "Imported 4 rows" in result.output
    assert (balance(app, "aino"), balance(app, "bo")) == (150, 40)
    with app.app_context():
        entries = db.session.scalars(select(LedgerEntry).order_by(LedgerEntry.id)).all()
        assert [e.points for e in entries] == [400, -250, 100, -60]  # time order
        assert {e.reference for e in entries} == {"history:1"}
        assert entries[0].at == PAST + timedelta(days=1) and entries[0].note.startswith("bonus")
        redemptions = db.session.scalars(select(Redemption).order_by(Redemption.id)).all()
        assert all(r.imported and r.status == "fulfilled" for r in redemptions)
        assert [r.price_paid for r in redemptions] == [250, 60]
        assert redemptions[0].reward_id == reward_id
        mug = db.session.get(Reward, redemptions[1].reward_id)
        assert mug.name_en == "Old Mug" and not mug.active  # an archived reward keeps the history
        causes = db.session.scalars(
            select(PriceState.cause).where(PriceState.reward_id == reward_id)
        ).all()
        assert causes == ["opened", "imported"]
        # Nobody is told about history.
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
    assert runner.invoke(args=["ledger", "verify"]).exit_code == 0


def test_the_command_shows_how_far_each_stage_got(app, runner, tmp_path, make_employee):
    make_employee("aino")
    rows = [f"aino,{at(1 + i)},award,10,,row {i}" for i in range(4)]
    result = run_import(runner, tmp_path, history(*rows, f"aino,{at(9)},redemption,25,Mug,"))
    assert result.exit_code == 0, result.output
    shown = result.stderr.splitlines()
    assert shown == [
        "  Writing ledger entries: 0 / 5 rows",
        "  Writing ledger entries: 5 / 5 rows",
        "  Recording redemptions: 0 / 1 rows",
        "  Recording redemptions: 1 / 1 rows",
        "  Updating the market's demand: 1 / 1 rows",
    ]
    assert "Imported 5 rows" in result.stdout


def test_a_redemption_of_the_shift_swap_reward_is_refused_and_nothing_applied(
    app, runner, tmp_path, make_employee
):
    """Found by tests/test_ledger_state_machine.py: it made a shift-swap redemption with no
    swap, which `ledger verify` refuses. A swap needs its shift; history has none."""
    make_employee("aino")
    add_reward(app, name_en="Swap away a shift", name_fi="Vaihda vuoro pois", kind="shift_swap")
    before = counts(app)
    data = history(f"aino,{at(1)},award,400,,", f"aino,{at(2)},redemption,100,vaihda vuoro pois,")
    result = run_import(runner, tmp_path, data)
    assert result.exit_code != 0
    assert "line 3" in result.output and "shift swap" in result.output
    assert counts(app) == before and balance(app, "aino") == 0


def test_the_same_file_twice_changes_nothing_and_says_so(app, runner, tmp_path, make_employee):
    make_employee("aino")
    data = history(f"aino,{at(1)},award,10,,")
    assert run_import(runner, tmp_path, data).exit_code == 0
    before = counts(app)
    again = run_import(runner, tmp_path, data)
    assert again.exit_code == 0
    assert "already imported" in again.output and "nothing changed" in again.output
    assert counts(app) == before and balance(app, "aino") == 10


def test_every_malformed_column_is_reported_by_line_and_nothing_is_applied(
    app, runner, tmp_path, make_employee
):
    make_employee("aino")
    future = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    data = history(
        f"aino,{at(1)},award,50,,",  # line 2 is fine
        f"aino,{at(1)},gift,5,,",
        f"aino,{at(1)},award,0,,",
        f"aino,{at(1)},award,-1,,",
        f"aino,{at(1)},award,{2**31},,",
        f"aino,{at(1)},award,{10**20},,",
        f"aino,{at(1)},award,abc,,",
        f"aino,{future},award,5,,",
        f"nobody,{at(1)},award,5,,",
        f"aino,{at(0)},redemption,40,Mug,",  # before the award: negative in time order
        f"aino,{at(1)},award,5,Mug,",
    )
    before = counts(app)
    result = run_import(runner, tmp_path, data)
    assert result.exit_code == 1
    found = dict(re.findall(r"line (\d+): (\w+):", result.output))
    assert set(found) == {str(n) for n in range(3, 13)}
    assert found["10"] == "unknown_employee" and found["11"] == "negative_balance"
    assert "line 2:" not in result.output
    assert "Nothing imported" in result.output
    assert counts(app) == before and balance(app, "aino") == 0


def test_existing_spending_counts_in_time_order(app, runner, tmp_path, make_employee):
    from tests.market_helpers import give_points

    make_employee("aino")
    give_points(app, "aino", 100)  # today
    # A redemption in the past, before the points of today existed: refused.
    result = run_import(runner, tmp_path, history(f"aino,{at(1)},redemption,80,Mug,"))
    assert result.exit_code == 1 and "negative_balance" in result.output
    assert balance(app, "aino") == 100


def test_rows_about_the_importing_user_are_refused(app, runner, tmp_path, make_employee):
    make_employee("hanna", role="hr")
    make_employee("aino")
    data = history(f"aino,{at(1)},award,10,,", f"hanna,{at(1)},award,500,,")
    result = run_import(runner, tmp_path, data, "--as", "hanna")
    assert result.exit_code == 1 and "line 3: self_award" in result.output
    assert balance(app, "hanna") == 0 and balance(app, "aino") == 0


def test_dry_run_changes_nothing(app, runner, tmp_path, make_employee):
    make_employee("aino")
    before = counts(app)
    result = run_import(runner, tmp_path, history(f"aino,{at(1)},award,10,,"), "--dry-run")
    assert result.exit_code == 0 and "Dry run" in result.output
    assert counts(app) == before


def test_files_that_are_not_csv_are_refused_whole(app, runner, tmp_path, make_employee):
    make_employee("aino")
    for data, words in (
        (b"employee,at,kind,points,reward,note\naino,\x00,award,1,,\n", "NUL"),
        (b"employee,at,kind,points,reward,note\n\xff\xfe,1,award,1,,\n", "not UTF-8"),
        (b"who,when\nx,y\n", "Line 1 must name the columns"),
    ):
        result = run_import(runner, tmp_path, data)
        assert result.exit_code == 1 and words in result.output


def upload(client, data: bytes, kind="history", name="history.csv"):
    return client.post(
        f"/import/{kind}",
        data={f"{kind}-file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_hr_uploads_previews_and_applies_history_on_the_page(app, client_as, make_employee):
    make_employee("aino")
    hr = client_as("hr", team="Office")
    response = upload(hr, history(f"aino,{at(1)},award,70,,", f"aino,{at(2)},redemption,20,Mug,"))
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    page = hr.get(response.location).get_data(as_text=True)
    assert "Mug" in page and "Apply the whole file" in page
    assert counts(app)[0] == 0  # the preview writes nothing
    applied = hr.post(response.location + "/apply")
    assert applied.status_code == 302
    assert balance(app, "aino") == 50
    # The ledger page describes the imported lines.
    again = upload(hr, history(f"aino,{at(1)},award,70,,", f"aino,{at(2)},redemption,20,Mug,"))
    assert "already imported" in hr.get(again.location).get_data(as_text=True)
    assert hr.post(again.location + "/apply").status_code == 422
    assert balance(app, "aino") == 50


def test_the_page_shows_line_numbers_and_refuses_to_apply(app, client_as, make_employee):
    make_employee("aino")
    hr = client_as("hr", team="Office")
    response = upload(hr, history(f"aino,{at(1)},award,abc,,"))
    page = hr.get(response.location).get_data(as_text=True)
    assert (
        "points abc is not a positive whole number" in page and "Apply the whole file" not in page
    )
    assert hr.post(response.location + "/apply").status_code == 422
    assert counts(app)[0] == 0


def test_bad_uploads_are_form_errors_not_500(app, client_as):
    hr = client_as("hr", team="Office")
    for data in (b"\x00" * 10, b"\xff\xfe\x00", b"a" * 100_000, b""):
        response = upload(hr, data)
        assert response.status_code in (400, 422), response.status_code


def test_only_hr_and_admin_import(app, client_as):
    for role in ("agent", "supervisor"):
        client = client_as(role)
        assert client.get("/import").status_code == 403
        assert upload(client, history()).status_code == 403
    assert client_as("admin", team="Office").get("/import").status_code == 200


def test_two_applies_of_one_file_at_once_write_it_once(app, make_employee):
    """The second of two applies that both previewed the file before either committed (two HR
    users at once) is refused with a clear message and writes nothing."""
    import pytest

    from pojo.errors import Conflict
    from pojo.history import service
    from pojo.unit_of_work import unit_of_work

    make_employee("aino")
    data = history(f"aino,{at(1)},award,10,,")
    text, digest = data.decode(), service.sha256(data)
    with app.app_context():
        stale = service.preview_text(None, text, digest)
    with app.app_context(), unit_of_work():
        service.apply_preview(
            None, stale, service.new_import(None, "history", "a.csv", digest, None)
        )
    before = counts(app)
    with app.app_context(), pytest.raises(Conflict), unit_of_work():
        found = service.new_import(None, "history", "b.csv", digest, None)
        service.apply_preview(None, stale, found)
    assert counts(app)[:2] == before[:2] and balance(app, "aino") == 10
