# Sourced by bench/run.sh and bench/routing.sh after lib/processes.sh: building and starting the platform's services
# (Redis, Postgres, UsageApi, the bench key, the Gateway, the InferenceWorker simulator) and what their reports share.
#
# The caller sets ROOT (the repository) before using these.

# build_services CONFIGURATION BUILD [usageapi] : builds the Gateway and the InferenceWorker (and UsageApi, when asked) when
# BUILD is 1; sets gateway_bin, worker_bin and usageapi_bin, and fails when one that is needed has no build there.
build_services() {
    local configuration="$1" build="$2" with_usageapi="${3:-}" project
    gateway_bin="$ROOT/src/Gateway/bin/$configuration/net10.0"
    worker_bin="$ROOT/src/InferenceWorker/bin/$configuration/net10.0"
    usageapi_bin="$ROOT/src/UsageApi/bin/$configuration/net10.0"
    local projects=(src/Gateway/Gateway.csproj src/InferenceWorker/InferenceWorker.csproj)
    [ "$with_usageapi" != usageapi ] || projects+=(src/UsageApi/UsageApi.csproj)
    if [ "$build" = 1 ]; then
        say "building ${projects[*]} ($configuration)"
        export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
        for project in "${projects[@]}"; do
            dotnet build "$ROOT/$project" -c "$configuration" -nologo -clp:ErrorsOnly -v:quiet >"$WORK/build.log" 2>&1 \
                || { cat "$WORK/build.log" >&2; die "build of $project failed"; }
        done
    fi
    [ -f "$gateway_bin/AiPlatform.Gateway.dll" ] || die "no Gateway build in $gateway_bin (run without --no-build)"
    [ -f "$worker_bin/AiPlatform.InferenceWorker.dll" ] || die "no InferenceWorker build in $worker_bin (run without --no-build)"
    [ "$with_usageapi" != usageapi ] || [ -f "$usageapi_bin/AiPlatform.UsageApi.dll" ] \
        || die "no UsageApi build in $usageapi_bin (run without --no-build)"
}

# start_redis : Redis on a free port, without persistence; sets redis_port and redis_pid.
start_redis() {
    free_port; redis_port=$PORT
    # Bounded memory for the MISS path's entries (each run stores every distinct answer): only keys with a TTL are
    # evicted, never the key record.
    start_server redis "$WORK" redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
        --maxmemory 2gb --maxmemory-policy volatile-ttl --dir "$WORK"
    redis_pid=$LAST_PID
    for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    redis-cli -p "$redis_port" ping >/dev/null || die "redis-server did not start"
}

# The virtual key every request sends: this fixed one when seed_key writes its record into Redis, the secret UsageApi
# returns when create_key creates it.
VIRTUAL_KEY="sk-aig-bench0123456789abcdefghijklmnopqrstuvwxyz"

# seed_key RPM TPM BUDGET : stores the bench key's record in Redis as UsageApi publishes it (Gateway Auth/KeyRecord), for
# runs without UsageApi. A number sets a limit (so the limiter's Lua runs on every request); anything else ("none")
# leaves it out.
seed_key() {
    local key_hash
    key_hash="$(printf '%s' "$VIRTUAL_KEY" | sha256sum | cut -d' ' -f1)"
    redis-cli -p "$redis_port" SET "aig:key:$key_hash" \
        "{\"id\":\"bench-key\",\"name\":\"bench\",\"rpm\":$(json_limit "$1"),\"tpm\":$(json_limit "$2"),\"budget_usd\":$(json_limit "$3"),\"models\":[],\"expires_at\":null,\"cache_namespace\":null,\"revoked\":false}" >/dev/null
}
json_limit() { [[ "$1" =~ ^[0-9]+(\.[0-9]+)?$ ]] && echo "$1" || echo null; }

# new_secret PREFIX : PREFIX and 48 random hex digits: a secret like the master and forwarder keys the AppHost keeps
# (its prefixes, 40 random URL-safe characters).
new_secret() { printf '%s%s' "$1" "$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"; }

# start_postgres : a throwaway PostgreSQL cluster from Debian's binaries (the newest /usr/lib/postgresql/*/bin), on a free
# port, with an empty database usagedb; sets pg_bin, pg_dir (the cluster, also its socket folder), pg_port and pg_pid.
# initdb and postgres refuse root: as root they run as the postgres user (setpriv), as the AppHost's PostgresStorage and
# the tests' PostgresServer do, in a folder of their own under /tmp outside $WORK (which only root may enter), deleted
# on exit unless --keep.
# The server gets the AppHost's settings (LocalPostgresBuilderExtensions) and no others: listen_addresses and
# unix_socket_directories, so durability is the server's default (fsync, synchronous_commit, full_page_writes on), as
# users run it; the tests' fixture switches those off for speed, which a benchmark of the user's path must not.
start_postgres() {
    local initdb cluster_root as_user=()
    initdb="$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -n 1)"
    [ -n "$initdb" ] || die "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql"
    pg_bin="$(dirname "$initdb")"
    # Under /tmp whatever TMPDIR says: the postgres user must be able to reach it, and its socket path must stay short.
    cluster_root="$(mktemp -d /tmp/aiplatform-bench-pg.XXXXXX)"
    remove_on_exit "$cluster_root"
    pg_dir="$cluster_root/data"
    if [ "$(id -u)" = 0 ]; then
        chown postgres:postgres "$cluster_root"
        # Changing the user clears the parent-death signal start_server set: setpriv sets it again after the change.
        as_user=(setpriv --reuid=postgres --regid=postgres --init-groups --pdeathsig INT --)
    fi
    "${as_user[@]}" "$pg_bin/initdb" -D "$pg_dir" -A trust -U postgres --no-sync -E UTF8 --no-locale >"$WORK/initdb.log" 2>&1 \
        || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
    free_port; pg_port=$PORT
    start_server postgres "$cluster_root" "${as_user[@]}" "$pg_bin/postgres" -D "$pg_dir" -p "$pg_port" \
        -c listen_addresses=127.0.0.1 -c unix_socket_directories="$pg_dir"
    pg_pid=$LAST_PID
    # INT is Postgres's fast shutdown (sessions ended); TERM would wait for UsageApi's pooled connections to close.
    server_signal[$pg_pid]=INT
    local deadline=$((SECONDS + 30))
    until pg_sql postgres 'SELECT 1' >/dev/null 2>&1; do
        kill -0 "$pg_pid" 2>/dev/null || { tail -n 30 "$WORK/postgres.log" >&2; die "postgres exited during start"; }
        [ $SECONDS -lt $deadline ] || { tail -n 30 "$WORK/postgres.log" >&2; die "postgres did not accept a login within 30 s"; }
        sleep 0.2
    done
    # Created before UsageApi starts, as the AppHost does (PostgresCluster.CreateDatabaseIfMissingAsync): its migrations
    # make the tables, not the database.
    pg_sql postgres 'CREATE DATABASE usagedb' >/dev/null
}

# pg_sql DATABASE SQL : runs SQL as the superuser over TCP (the cluster trusts 127.0.0.1); prints unaligned rows,
# fields separated by tabs.
pg_sql() {
    "$pg_bin/psql" -X -q -A -t -F $'\t' -h 127.0.0.1 -p "$pg_port" -U postgres -d "$1" -v ON_ERROR_STOP=1 -c "$2"
}

# start_usageapi : UsageApi (from usageapi_bin) on a free port, configured with the names the AppHost gives it (Program.cs:
# ConnectionStrings__usagedb and __cache, AIPLATFORM_MASTER_KEY, AIPLATFORM_FORWARDER_KEY; master_key and forwarder_key
# set by the caller); it migrates the schema at start (Data/MigrationHostedService), before /health answers. Sets
# usageapi_port, usageapi_url and usageapi_pid.
start_usageapi() {
    free_port; usageapi_port=$PORT
    usageapi_url="http://127.0.0.1:$usageapi_port"
    start_server usageapi "$usageapi_bin" env \
        ASPNETCORE_URLS="$usageapi_url" ASPNETCORE_ENVIRONMENT=Production \
        Logging__LogLevel__Default=Warning \
        ConnectionStrings__usagedb="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=usagedb" \
        ConnectionStrings__cache="127.0.0.1:$redis_port" \
        AIPLATFORM_MASTER_KEY="$master_key" AIPLATFORM_FORWARDER_KEY="$forwarder_key" \
        dotnet AiPlatform.UsageApi.dll
    usageapi_pid=$LAST_PID
    wait_http usageapi "$usageapi_pid" "$usageapi_url/health" 90
}

# create_key RPM TPM BUDGET : creates the bench key through UsageApi's admin API (POST /v1/keys, Keys/KeysEndpoints),
# which stores it in Postgres and publishes its record to Redis for the Gateways, and sets VIRTUAL_KEY to the secret it
# returns. Limits and budget as for seed_key.
create_key() {
    local body status
    body="{\"name\":\"bench\",\"rpm\":$(json_limit "$1"),\"tpm\":$(json_limit "$2"),\"budget_usd\":$(json_limit "$3")}"
    status="$(curl -sS -o "$WORK/key.json" -w '%{http_code}' --max-time 10 -H "Authorization: Bearer $master_key" \
        -H 'Content-Type: application/json' --data-binary "$body" "$usageapi_url/v1/keys" 2>/dev/null)" || status=000
    [ "$status" = 201 ] || die "UsageApi answered $status to the bench key's creation: $(head -c 300 "$WORK/key.json" 2>/dev/null)"
    VIRTUAL_KEY="$(sed -n 's/.*"key":"\([^"]*\)".*/\1/p' "$WORK/key.json")"
    [ -n "$VIRTUAL_KEY" ] || die "UsageApi's answer to the key's creation has no key: $(head -c 300 "$WORK/key.json")"
}

# gateway_base_env [USAGEAPI_URL] : sets gateway_env to what every benchmarked Gateway gets; the caller adds its models and
# settings. The listening address is start_gateway's.
#   - With USAGEAPI_URL, what the AppHost gives the Gateway to reach UsageApi (Program.cs: the reference as
#     services__usageapi__http__0, the master and forwarder keys): usage events on, shipped to UsageApi's ledger, and key
#     lookups after a Redis miss answered by it. master_key and forwarder_key are the caller's.
#   - Without, usage events (issue 5) off: there is no UsageApi to take them, and every batch would be parked in Redis
#     and replayed, which measures an outage.
gateway_base_env() {
    gateway_env=(
        ASPNETCORE_ENVIRONMENT=Production
        Logging__LogLevel__Default=Warning
        ConnectionStrings__cache="127.0.0.1:$redis_port"
    )
    if [ -n "${1:-}" ]; then
        gateway_env+=(services__usageapi__http__0="$1" AIPLATFORM_MASTER_KEY="$master_key" AIPLATFORM_FORWARDER_KEY="$forwarder_key")
    else
        gateway_env+=(Gateway__Usage__Enabled=false)
    fi
}

# prometheus_sum METRIC FILE… : the sum of METRIC's series (every label set) in the Prometheus text of the FILEs (the
# platform's /metrics, which want an admin credential: the master key); empty when none has METRIC.
prometheus_sum() {
    local metric="$1"; shift
    # A sample is `name{labels} value [timestamp]`; label values may hold spaces, so the labels go before splitting.
    awk -v m="$metric" '$1 == m || index($1, m "{") == 1 {
            line = substr($0, length(m) + 1); sub(/^\{[^}]*\}/, "", line); split(line, f, " ")
            sum += f[1]; found = 1
        }
        END { if (found) printf "%.0f\n", sum }' "$@"
}

# start_gateway NAME DIR PORT [NAME=VALUE…] : the Gateway built in DIR, listening on PORT, with gateway_env and the
# extra settings; sets LAST_PID.
start_gateway() {
    local name="$1" dir="$2" port="$3"; shift 3
    start_server "$name" "$dir" env ASPNETCORE_URLS="http://127.0.0.1:$port" "${gateway_env[@]}" "$@" dotnet AiPlatform.Gateway.dll
}

# start_simulator NAME PORT [NAME=VALUE…] : an InferenceWorker simulator on PORT (from worker_bin) with the settings
# given (Inference__Simulator__*, Inference__Admission__*); sets LAST_PID.
start_simulator() {
    local name="$1" port="$2"; shift 2
    start_server "$name" "$worker_bin" env \
        ASPNETCORE_URLS="http://127.0.0.1:$port" ASPNETCORE_ENVIRONMENT=Production \
        Logging__LogLevel__Default=Warning \
        Inference__Engine=Simulator \
        "$@" \
        dotnet AiPlatform.InferenceWorker.dll
}

# run_wrk LABEL SCRIPT URL CONC SECONDS TIMEOUT NAME=VALUE… : wrk with bench/wrk/SCRIPT against URL, the script's
# settings in its environment; 2 threads (1 at concurrency 1, since wrk needs a connection per thread). Its output is in
# $WORK/wrk.out; sets WRK_LINE to the BENCH_RESULT line of the script's done(). Not to be called in a subshell, so that
# an interrupt stops wrk at once (run_child).
run_wrk() {
    local label="$1" script="$2" url="$3" conc="$4" seconds="$5" timeout="$6"; shift 6
    run_child env "$@" wrk -t $((conc < 2 ? conc : 2)) -c "$conc" -d "${seconds}s" --timeout "$timeout" -s "$BENCH_DIR/wrk/$script" "$url" \
        >"$WORK/wrk.out" 2>&1 || { cat "$WORK/wrk.out" >&2; die "wrk failed against $label"; }
    WRK_LINE="$(grep '^BENCH_RESULT ' "$WORK/wrk.out")" || { cat "$WORK/wrk.out" >&2; die "wrk printed no result for $label"; }
}

# field LINE KEY : the value of KEY=value in a line of space-separated pairs (wrk's BENCH_RESULT).
field() { local line="$1" key="$2"; line="${line#* $key=}"; echo "${line%% *}"; }

# describe_machine : the report's machine line.
describe_machine() {
    printf -- '- machine: %s cores (%s), %s GiB memory, %s, kernel %s\n' "$(nproc)" \
        "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" \
        "$(awk '/^MemTotal:/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)" \
        "$(. /etc/os-release && echo "$PRETTY_NAME")" "$(uname -r)"
}

# describe_log_errors WHAT LOG… : a report line with how many errors the logs hold, grouped by their exception line
# (LOGs are read twice: files, not pipes).
# A client that goes away mid-request (wrk stopping at the end of a run) makes ASP.NET Core log "Unexpected end of
# request content": expected, a few per run.
describe_log_errors() {
    local what="$1" errors; shift
    errors="$(cat "$@" 2>/dev/null | grep -c '^fail: ' || true)"
    if [ "$errors" -gt 0 ]; then
        local kinds
        kinds="$(cat "$@" | grep -A2 '^fail: ' | grep -E '^ +[A-Za-z.]+(Exception|Error)' | sed 's/^ *//' | cut -c1-160 \
            | sort | uniq -c | sort -rn | head -n 3 \
            | awk '{ n = $1; $1 = ""; printf "%s %d × `%s`", (NR > 1 ? ";" : ""), n, substr($0, 2) }' || true)"
        printf -- '- the %s logged %s errors:%s\n' "$what" "$errors" "${kinds:- none names an exception; the first: \`$(cat "$@" | grep -m1 -A1 '^fail: ' | tr -s ' \n' ' ' | cut -c1-160)\`}"
    else
        printf -- '- the %s logged no errors\n' "$what"
    fi
}
