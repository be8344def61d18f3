#!/usr/bin/env bash
# Runs the property-based fuzzing harness (tests/Fuzz.Tests) for longer than the test suite does: every property for
# the given seconds (default 600), then prints one table row per target. Usage: fuzz/run.sh [seconds-per-target]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
report="$(mktemp)"
log="$(mktemp)"
trap 'rm -f "$report" "$log"' EXIT

dotnet build tests/Fuzz.Tests -c Release -nologo -clp:ErrorsOnly
set +e
# One property at a time, so that each gets a core of its own and its seconds are its own.
FUZZ_SECONDS="$seconds" FUZZ_REPORT="$report" dotnet test tests/Fuzz.Tests -c Release --no-build -nologo \
    -- xUnit.ParallelizeTestCollections=false >"$log" 2>&1
status=$?
set -e

printf '%-28s %12s %9s %9s\n' target inputs failures seconds
sort "$report" | awk -F'\t' '{ printf "%-28s %12d %9d %9.1f\n", $1, $2, $3, $4 }'
if [ "$status" -ne 0 ]; then
    # The counterexamples (shrunk inputs, with the seed to replay them) are in the test log.
    grep -E -A12 'Falsifiable|no answer within' "$log" || tail -50 "$log"
fi
exit "$status"
