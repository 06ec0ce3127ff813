#!/usr/bin/env bash
# Replace Pojo's PostgreSQL database with a backup made by backup-postgres.sh, in one
# transaction (all or nothing), then run `flask ledger verify`. See docs/backups.md.
#
#   DATABASE_URL=postgresql+psycopg://pojo@db/pojo scripts/restore-postgres.sh [--yes] FILE
#
# Stop the app and the scheduler first (or restart them afterwards): nothing written
# after the backup survives, and no process should keep caches of the old data.
set -euo pipefail

yes=
if [ "${1:-}" = "--yes" ]; then
    yes=1
    shift
fi
if [ $# -ne 1 ]; then
    echo "usage: DATABASE_URL=postgresql://... $0 [--yes] FILE" >&2
    exit 2
fi
file=$(realpath -- "$1")
url=${DATABASE_URL:?set DATABASE_URL to the database Pojo uses}
url=${url/#postgresql+psycopg:/postgresql:}
case $url in
    postgresql:* | postgres:*) ;;
    *) echo "DATABASE_URL is not PostgreSQL; for SQLite use: flask --app pojo restore FILE" >&2; exit 1 ;;
esac

if ! listing=$(pg_restore --list "$file" 2>/dev/null); then
    echo "Not restored: $file is not a pg_dump archive (made by backup-postgres.sh)." >&2
    exit 1
fi
if ! grep -q "TABLE DATA public ledger_entries" <<<"$listing"; then
    echo "Not restored: $file holds no Pojo ledger (no ledger_entries table)." >&2
    exit 1
fi

if [ -z "$yes" ]; then
    read -r -p "Replace everything in the database with $file? What was written since is lost [y/N] " answer
    case $answer in
        y | Y | yes) ;;
        *) echo "Not restored." >&2; exit 1 ;;
    esac
fi

pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
    --exit-on-error --dbname="$url" "$file"
echo "Restored $file."

cd "$(dirname -- "$0")/.."
"${FLASK:-flask}" --app pojo ledger verify
