#!/usr/bin/env bash
# Back up Pojo's PostgreSQL database to FILE with pg_dump (custom format), while Pojo runs.
# pg_dump reads one snapshot, so the file is the database as of one moment. See docs/backups.md.
#
#   DATABASE_URL=postgresql+psycopg://pojo@db/pojo scripts/backup-postgres.sh FILE
set -euo pipefail

if [ $# -ne 1 ] || [ "${1:0:1}" = "-" ]; then
    echo "usage: DATABASE_URL=postgresql://... $0 FILE" >&2
    exit 2
fi
file=$1
url=${DATABASE_URL:?set DATABASE_URL to the database Pojo uses}
# SQLAlchemy's driver suffix means nothing to libpq.
url=${url/#postgresql+psycopg:/postgresql:}
case $url in
    postgresql:* | postgres:*) ;;
    *) echo "DATABASE_URL is not PostgreSQL; for SQLite use: flask --app pojo backup FILE" >&2; exit 1 ;;
esac
if [ -e "$file" ]; then
    echo "$file exists already: give the backup a new name." >&2
    exit 1
fi

partial="$file.partial"
trap 'rm -f "$partial"' EXIT
pg_dump --format=custom --no-owner --no-privileges --file="$partial" --dbname="$url"
# A readable archive with the ledger in it, or no backup at all. (Listed into a variable:
# `pg_restore | grep -q` under pipefail fails whenever grep stops reading early.)
listing=$(pg_restore --list "$partial")
if ! grep -q "TABLE DATA public ledger_entries" <<<"$listing"; then
    echo "pg_dump wrote an archive without the ledger: not a Pojo database?" >&2
    exit 1
fi
mv "$partial" "$file"
trap - EXIT
echo "Backed up to $file ($(du -h "$file" | cut -f1))."
