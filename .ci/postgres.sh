#!/usr/bin/env bash
# Ensure a local PostgreSQL server for the store tests; prints its SQLAlchemy URL.
set -euo pipefail
if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
read -r version cluster port status _ < <(pg_lsclusters -h | head -n 1)
if [ "$status" != "online" ]; then
  pg_ctlcluster "$version" "$cluster" start >&2
fi
su postgres -c "psql -q -p $port -c \"ALTER USER postgres PASSWORD 'postgres'\"" >&2
su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_database WHERE datname = 'unionstats_test'\"" | grep -q 1 \
  || su postgres -c "createdb -p $port unionstats_test" >&2
echo "postgresql+psycopg://postgres:postgres@127.0.0.1:$port/unionstats_test"
