#!/usr/bin/env bash
# Runs the whole platform locally: installs redis-server and PostgreSQL if missing, then the AppHost.
# Arguments go to the AppHost (its options are in the README: --gateway-port 9080, --inference-replicas 2, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-prerequisites.sh
exec dotnet run --project src/AppHost -- "$@"
