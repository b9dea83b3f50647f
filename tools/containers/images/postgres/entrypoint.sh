#!/bin/sh
# First start: a cluster in $PGDATA owned by POSTGRES_USER (password POSTGRES_PASSWORD, scram over
# TCP from anywhere, as the official image), and the database POSTGRES_DB; then the server, as PID 1.
set -eu
user="${POSTGRES_USER:-postgres}"
database="${POSTGRES_DB:-$user}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
  pwfile=$(mktemp)
  printf '%s\n' "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}" > "$pwfile"
  initdb --username="$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 -D "$PGDATA" > /dev/null
  rm -f "$pwfile"
  echo 'host all all all scram-sha-256' >> "$PGDATA/pg_hba.conf"
  if [ "$database" != postgres ]; then
    # Socket only while initialising, so a health check over TCP does not see it as ready.
    pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start > /dev/null
    psql -v ON_ERROR_STOP=1 --username="$user" --dbname=postgres -q -c "CREATE DATABASE \"$database\""
    pg_ctl -D "$PGDATA" -m fast -w stop > /dev/null
  fi
  echo "initialised a cluster in $PGDATA with the database $database"
fi
exec postgres -D "$PGDATA" -c listen_addresses='*'
