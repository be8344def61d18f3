#!/usr/bin/env bash
# Renews the Dashboard's screenshots in docs/ (Overview, Logs, Keys at 1280 px): runs the browser journey against the
# AppHost-run platform (tests/EndToEnd.Tests/DashboardJourneyTests.cs), which saves them when AIG_DOCS_SCREENSHOTS
# names a folder. Needs what the tests need (scripts/install-prerequisites.sh --tests installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-prerequisites.sh --tests
mkdir -p docs
AIG_DOCS_SCREENSHOTS="$(pwd)/docs" dotnet test tests/EndToEnd.Tests -c Release -nologo --filter "FullyQualifiedName~DashboardJourneyTests"
ls -l docs/dashboard-*.png
