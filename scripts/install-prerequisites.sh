#!/usr/bin/env bash
# Installs what running or testing AiPlatform needs on Debian/Ubuntu: redis-server and PostgreSQL, and with --tests
# also chromium (the Dashboard's browser tests drive /usr/bin/chromium through Playwright). Running the platform does
# not need a browser, so scripts/run.sh does not pay for one.
# Does nothing when they are already there, so it is cheap to run before every start.
set -euo pipefail

say() { printf '\033[1m[prerequisites]\033[0m %s\n' "$*"; }
fail() { printf '\033[1;31m[prerequisites]\033[0m %s\n' "$*" >&2; exit 1; }

tests=false
case "${1:-}" in
    --tests) tests=true ;;
    "") ;;
    *) fail "Unknown option: $1 (the only option is --tests)" ;;
esac

if ! command -v dotnet >/dev/null 2>&1; then
    fail "The .NET SDK is not installed. Install the .NET 10 SDK (Debian package dotnet-sdk-10.0 from Microsoft's package repository), then run this again."
fi
if ! dotnet --list-sdks | grep -q '^10\.'; then
    fail "A .NET 10 SDK is required; found: $(dotnet --list-sdks | tr '\n' ' '). Install dotnet-sdk-10.0."
fi

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)
# The exact path, not any chromium on PATH: the browser tests launch /usr/bin/chromium (Playwright's own browser
# download cannot reach its servers from our build machines).
if $tests && [ ! -x /usr/bin/chromium ]; then
    missing+=(chromium)
fi

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
else
    fail "Missing: ${missing[*]}. Install them as root: apt-get update && apt-get install -y ${missing[*]}"
fi

command -v apt-get >/dev/null 2>&1 || fail "Missing: ${missing[*]}, and apt-get is not available to install them. Install them with your package manager."

say "installing ${missing[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian registers the packages' own services; nothing here uses them: the AppHost and the tests start
# their own instances on their own ports and data folders.
say "installed ${missing[*]}"
