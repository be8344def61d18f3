#!/usr/bin/env bash
# Runs every test of the solution against real Redis and PostgreSQL servers that the tests start themselves.
# Installs redis-server, PostgreSQL and chromium (for the Dashboard's browser tests) first if they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-prerequisites.sh --tests

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

dotnet build AiPlatform.sln -c Release -nologo -clp:ErrorsOnly
touch "$results/started"
set +e
dotnet test AiPlatform.sln -c Release --no-build -nologo 2>&1 | tee "$results/test.log"
status=${PIPESTATUS[0]}
set -e

# One closing line for the whole run, summed over the test assemblies' own summaries.
awk '/(Passed|Failed)! +- +Failed:/ {
        gsub(",", ""); for (i = 1; i <= NF; i++) {
            if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$results/test.log"
# Failed browser tests leave a full-page screenshot each (tests/AiPlatform.Testing/Browser/BrowserFixture.cs); name
# this run's so that CI logs say where to look.
find tests -path '*/bin/Release/*/TestResults/screenshots/*.png' -newer "$results/started" |
    sed 's/^/Screenshot of a failed browser test: /'
exit "$status"
