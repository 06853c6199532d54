#!/bin/sh
# Runs once, when the PostgreSQL volume is first created: the service's own role and database.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" <<SQL
create role pathways login password '${PATHWAYS_DB_PASSWORD}';
create database pathways owner pathways;
SQL
