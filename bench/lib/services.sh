# Sourced by bench/run.sh and bench/routing.sh after lib/processes.sh: building and starting the platform's services
# (Redis with the bench key, the Gateway, the InferenceWorker simulator) and what their reports share.
#
# The caller sets ROOT (the repository) before using these.

# build_services CONFIGURATION BUILD : builds the Gateway and the InferenceWorker when BUILD is 1; sets gateway_bin and
# worker_bin, and fails when either has no build there.
build_services() {
    local configuration="$1" build="$2" project
    gateway_bin="$ROOT/src/Gateway/bin/$configuration/net10.0"
    worker_bin="$ROOT/src/InferenceWorker/bin/$configuration/net10.0"
    if [ "$build" = 1 ]; then
        say "building Gateway and InferenceWorker ($configuration)"
        export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
        for project in src/Gateway/Gateway.csproj src/InferenceWorker/InferenceWorker.csproj; do
            dotnet build "$ROOT/$project" -c "$configuration" -nologo -clp:ErrorsOnly -v:quiet >"$WORK/build.log" 2>&1 \
                || { cat "$WORK/build.log" >&2; die "build of $project failed"; }
        done
    fi
    [ -f "$gateway_bin/AiPlatform.Gateway.dll" ] || die "no Gateway build in $gateway_bin (run without --no-build)"
    [ -f "$worker_bin/AiPlatform.InferenceWorker.dll" ] || die "no InferenceWorker build in $worker_bin (run without --no-build)"
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

# The virtual key every request sends.
readonly VIRTUAL_KEY="sk-aig-bench0123456789abcdefghijklmnopqrstuvwxyz"

# seed_key RPM TPM BUDGET : stores the bench key's record in Redis as UsageApi publishes it (Gateway Auth/KeyRecord).
# A number sets a limit (so the limiter's Lua runs on every request); anything else ("none") leaves it out.
seed_key() {
    local key_hash
    key_hash="$(printf '%s' "$VIRTUAL_KEY" | sha256sum | cut -d' ' -f1)"
    redis-cli -p "$redis_port" SET "aig:key:$key_hash" \
        "{\"id\":\"bench-key\",\"name\":\"bench\",\"rpm\":$(json_limit "$1"),\"tpm\":$(json_limit "$2"),\"budget_usd\":$(json_limit "$3"),\"models\":[],\"expires_at\":null,\"cache_namespace\":null,\"revoked\":false}" >/dev/null
}
json_limit() { [[ "$1" =~ ^[0-9]+(\.[0-9]+)?$ ]] && echo "$1" || echo null; }

# gateway_base_env : sets gateway_env to what every benchmarked Gateway gets (Redis, quiet logs, usage events off);
# the caller adds its models and settings. The listening address is start_gateway's.
gateway_base_env() {
    gateway_env=(
        ASPNETCORE_ENVIRONMENT=Production
        Logging__LogLevel__Default=Warning
        ConnectionStrings__cache="127.0.0.1:$redis_port"
    )
    # Usage events (issue 5) are off in this run: they need UsageApi and Postgres, which the run does not start yet, and
    # without them every batch would be parked in Redis and replayed, which measures an outage. To turn them on, start
    # Postgres and UsageApi (as the test fixtures do: initdb + pg_ctl as the postgres user, then
    # `dotnet AiPlatform.UsageApi.dll` with ConnectionStrings__usagedb, ConnectionStrings__cache and a master key), create
    # the bench key through UsageApi's admin API instead of seed_key, replace the next line with
    #   gateway_env+=(services__usageapi__http__0="http://127.0.0.1:$usageapi_port" AIPLATFORM_MASTER_KEY="$master_key")
    # and charge UsageApi's and Postgres's CPU to the Gateway rows the way Redis's is (cpu_ticks with their PIDs).
    gateway_env+=(Gateway__Usage__Enabled=false)
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

# describe_log_errors WHAT LOG… : a report line with how many errors the logs hold, grouped by their exception line.
# A client that goes away mid-request (wrk stopping at the end of a run) makes ASP.NET Core log "Unexpected end of
# request content": expected, a few per run.
describe_log_errors() {
    local what="$1" errors; shift
    errors="$(cat "$@" 2>/dev/null | grep -c '^fail: ' || true)"
    if [ "$errors" -gt 0 ]; then
        printf -- '- the %s logged %s errors:' "$what" "$errors"
        cat "$@" | grep -A2 '^fail: ' | grep -E '^ +[A-Za-z.]+(Exception|Error)' | sed 's/^ *//' | cut -c1-160 \
            | sort | uniq -c | sort -rn | head -n 3 \
            | awk '{ n = $1; $1 = ""; printf "%s %d × `%s`", (NR > 1 ? ";" : ""), n, substr($0, 2) }'
        printf '\n'
    else
        printf -- '- the %s logged no errors\n' "$what"
    fi
}
