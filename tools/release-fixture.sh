#!/usr/bin/env bash
# Writes app/tests/storage/fixtures/release-<version>.sqlite.db and .postgres.sql: a
# database as this release leaves it, with a little data in it, for the upgrade
# tests of every later release (app/tests/storage/upgrades.rs). Run once, when a
# release is made, with a PostgreSQL server to create a database on:
#   CAIRN_TEST_POSTGRES_URL=postgres://... tools/release-fixture.sh 0.1.0
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?the release, such as 0.1.0}
out=app/tests/storage/fixtures
admin=${CAIRN_TEST_POSTGRES_URL:?a PostgreSQL server to create a database on}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

seed() {
    CAIRN_FIXTURE_DB=$1 cargo test -p app --features ssr --test storage --locked -- \
        --ignored --exact upgrades::a_release_fixture
}

seed "$tmp/release.db"
# The file itself: SQLite's FTS tables do not survive a dump as SQL.
rm -f "$out/release-$version.sqlite.db"
python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("VACUUM INTO ?", (sys.argv[2],))' \
    "$tmp/release.db" "$out/release-$version.sqlite.db"

name=cairn_fixture_$$
psql -q "$admin" -c "CREATE DATABASE $name"
url=${admin%/*}/$name
seed "$url"
pg_dump=$(ls -d /usr/lib/postgresql/*/bin/pg_dump | sort -V | tail -1)
# Without psql's meta-commands (\restrict): the test runs it as plain SQL.
"$pg_dump" --inserts --no-owner --no-privileges --no-comments "$url" | grep -v '^\\' >"$out/release-$version.postgres.sql"
psql -q "$admin" -c "DROP DATABASE $name"
echo "wrote $out/release-$version.sqlite.db and .postgres.sql"
