"""Backups: `flask backup FILE` and `flask restore FILE` for SQLite.

PostgreSQL is backed up and restored with `scripts/backup-postgres.sh` and
`scripts/restore-postgres.sh` (pg_dump and pg_restore); see docs/backups.md.
"""


def feature():
    from pojo.backups.cli import backup, restore
    from pojo.features import Feature

    return Feature(name="backups", commands=(backup, restore))
