"""`flask backup` shows how far the copy is, and a copy the app writes into stays consistent."""

import sqlite3
from pathlib import Path

import pytest

from pojo.backups import sqlite as backups


@pytest.fixture
def big_database(tmp_path) -> Path:
    path = tmp_path / "live.sqlite3"
    with sqlite3.connect(path) as live:
        live.execute("CREATE TABLE t (x TEXT)")
        live.executemany("INSERT INTO t VALUES (?)", [("x" * 1000,) for _ in range(12_000)])
    return path


def test_the_copy_reports_its_pages_as_it_goes(big_database, tmp_path):
    seen = []
    backups.copy(big_database, tmp_path / "copy.sqlite3", progress=lambda *p: seen.append(p))
    total = seen[-1][1]
    assert total > 2 * backups.STEP_PAGES
    assert seen[-1] == (total, total)
    assert [done for done, _ in seen] == sorted({done for done, _ in seen})  # only forward
    assert len(seen) == -(-total // backups.STEP_PAGES)


def test_a_copy_the_app_keeps_writing_into_finishes_and_is_whole(big_database, tmp_path):
    writer = sqlite3.connect(big_database, isolation_level=None)
    steps = []

    def write_between_steps(done, total):
        steps.append(done)
        writer.execute("INSERT INTO t VALUES ('y')")  # restarts the copy at its next step

    target = tmp_path / "copy.sqlite3"
    backups.copy(big_database, target, progress=write_between_steps)
    # SQLite started over each time; after MAX_RESTARTS the rest went in one step.
    assert len(steps) == backups.MAX_RESTARTS + 2
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        copied = copy.execute("SELECT count(*) FROM t").fetchone()[0]
    written = writer.execute("SELECT count(*) FROM t").fetchone()[0]
    assert copied == written - 1  # all but the row written after the last step
    writer.close()


def test_flask_backup_prints_its_progress(backend, app, runner, tmp_path):
    if backend != "sqlite":
        pytest.skip("flask backup copies SQLite files only")
    result = runner.invoke(args=["backup", str(tmp_path / "progress.sqlite3")])
    assert result.exit_code == 0, result.output
    assert "Copying: 100%" in result.output
    assert "Backed up" in result.output
