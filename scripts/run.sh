#!/usr/bin/env bash
# Runs the whole platform locally: installs redis-server and PostgreSQL if missing, then the AppHost.
# Arguments go to the AppHost (see: dotnet run --project src/AppHost -- --help).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-prerequisites.sh
exec dotnet run --project src/AppHost -- "$@"
