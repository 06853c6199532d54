#!/bin/sh
# Creates Temporal's two databases if needed and brings their schemas to the tool's release.
# Safe to run before every start: each step skips what is already done. The same script runs as
# docker-compose.yml's temporal-schema job and in `npm run cluster`.
# temporal-sql-tool reads SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER and SQL_PASSWORD itself.
set -eu
tool="${TEMPORAL_SQL_TOOL:-temporal-sql-tool}"
for db in temporal:temporal temporal_visibility:visibility; do
  name="${db%%:*}"
  schema="postgresql/v12/${db##*:}"
  "$tool" --db "$name" create-database
  "$tool" --db "$name" setup-schema -v 0.0
  "$tool" --db "$name" update-schema --schema-name "$schema"
done
