#!/usr/bin/env bash
# The Gateway's overhead against the direct path, a plain proxy and a peer gateway, in one run, on the path users run
# (issue 13; issue 6 before it).
#
# Starts on 127.0.0.1, on free ports, and stops by PID on exit or interrupt:
#   - nginx as the fixed upstream: a ~700-byte chat completion with usage (`return 200 '…'`), and under /sse/v1
#     the same answer streamed (a dozen chunks, a usage chunk, [DONE]), both from bench/fixtures/;
#   - the InferenceWorker simulator at zero latency, as a second upstream;
#   - nginx as a plain reverse proxy (keep-alive upstream pool, buffering off);
#   - Redis, a throwaway Postgres cluster and UsageApi (which creates the virtual key: rate limits on, high enough never to
#     refuse) and the Gateway with usage events on, so every answer ends as a record in UsageApi's ledger in Postgres;
#     with --no-usage only Redis, with the key written into it, and the Gateway with usage events off (the old way);
#   - Portkey's open-source gateway (npm, into a temporary folder), when it installs;
#   - with --baseline-gateway, a second Gateway from another build, configured as the first, to compare the two.
# Then the same wrk load against each target, interleaved (A B C … A B C …) and repeated, and curl for the time to
# first byte of the streamed answer; with --soak, gateway-miss at concurrency 64 for minutes while its RSS is sampled;
# then counts the ledger's records against the usage events the Gateway produced; prints a markdown report with
# medians and issue 13's verdicts (bench/lib/report.awk).
#
# Usage: bench/run.sh [--quick] [options]      (bench/run.sh --help)
set -euo pipefail

readonly BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly ROOT="$(cd "$BENCH_DIR/.." && pwd)"
readonly FIXTURES="$BENCH_DIR/fixtures"
BENCH_TAG=bench
source "$BENCH_DIR/lib/processes.sh"
source "$BENCH_DIR/lib/services.sh"

duration=10
warmup=5
repeats=3
concurrencies="1,16,64"
ttfb_samples=200
targets="direct,nginx,bare-proxy,gateway-miss,gateway-hit,portkey,sim-direct,gateway-sim"
configuration=Release
build=1
portkey=1
portkey_dir=""
portkey_install_timeout=180
out_dir=""
keep=0
extra_gateway_env=()
targets_given=0
baseline_dir=""
key_rpm=100000000
key_tpm=2000000000
key_budget=none
hold=0
usage=1
soak=0
original_args=("$@")

usage() {
    cat <<'EOF'
Usage: bench/run.sh [options]

  --quick                 5-second runs, 1 s warm-up, 1 repeat, 50 TTFB samples (set before other options)
  --duration S            seconds per wrk run (default 10)
  --warmup S              seconds of warm-up per target before the first run (default 5)
  --repeats N             rounds over every target and concurrency (default 3); medians are reported
  --concurrency LIST      comma-separated connection counts (default 1,16,64)
  --targets LIST          comma-separated, any of: direct nginx bare-proxy gateway-miss gateway-hit gateway-bypass
                          portkey sim-direct gateway-sim baseline-miss baseline-hit (default: all but
                          gateway-bypass and, without --baseline-gateway, the baseline ones)
  --ttfb-samples N        streamed requests per target for the time to first byte; 0 skips it (default 200)
  --configuration C       build configuration of the services (default Release)
  --no-build              use the services as already built
  --no-portkey            leave Portkey out (its row says so)
  --portkey-dir DIR       install Portkey into DIR and reuse it when it is already there (default: a temporary folder)
  --portkey-install-timeout S  give up installing Portkey after S seconds (default 180); its row then says so
  --gateway-env NAME=VALUE  extra environment for the Gateway (repeatable), e.g. DOTNET_PerfMapEnabled=1 to profile
                          it with perf, or a configuration key to compare a setting; the baseline Gateway gets it too
  --baseline-gateway DIR  also start the Gateway built in DIR (the folder of another build's AiPlatform.Gateway.dll,
                          e.g. a git worktree's src/Gateway/bin/Release/net10.0) with the same environment, Redis and
                          key on its own port, and measure it as baseline-miss and baseline-hit in the same rounds
                          (added to the default targets; with --targets, list them); the report puts both side by side
  --key-limits RPM,TPM    the bench key's limits (default 100000000,2000000000: the limiter runs on every request
                          and never refuses); "none,none" leaves the limiter out, to see what it costs
  --key-budget USD        give the bench key a budget (never reached: the run has no prices), so the budget check
                          runs on every request; default: none, as in issue 6's list of policies
  --no-usage              the old way, to compare: no Postgres and no UsageApi, the key written into Redis directly,
                          the Gateway with usage events off (no ledger check; UsageApi/Postgres columns empty)
  --soak [MINUTES]        after the other runs, gateway-miss at concurrency 64 for MINUTES (default 10) in 30-s wrk
                          slices, the Gateway's RSS read after each; judged "no growth" (see bench/README.md)
  --out DIR               also write the report and the raw measurements into DIR
  --keep                  keep the temporary folder (configs, logs)
  --hold                  start and check everything, print the endpoints, then wait for Ctrl+C instead of measuring
                          (to profile or try requests by hand)
  -h, --help              this text

Needs root or sudo the first time, to apt-get install what is missing (wrk, nginx-light, redis-server, curl, and
postgresql unless --no-usage).
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --quick) duration=5; warmup=1; repeats=1; ttfb_samples=50 ;;
        --duration) duration="$2"; shift ;;
        --warmup) warmup="$2"; shift ;;
        --repeats) repeats="$2"; shift ;;
        --concurrency|--concurrencies) concurrencies="$2"; shift ;;
        --targets) targets="$2"; targets_given=1; shift ;;
        --ttfb-samples) ttfb_samples="$2"; shift ;;
        --configuration|-c) configuration="$2"; shift ;;
        --no-build) build=0 ;;
        --no-portkey) portkey=0 ;;
        --portkey-dir) portkey_dir="$2"; shift ;;
        --portkey-install-timeout) portkey_install_timeout="$2"; shift ;;
        --gateway-env) extra_gateway_env+=("$2"); shift ;;
        --baseline-gateway) baseline_dir="$2"; shift ;;
        --key-limits) IFS=',' read -r key_rpm key_tpm <<<"$2"; shift ;;
        --key-budget) key_budget="$2"; shift ;;
        --out) out_dir="$2"; shift ;;
        --keep) keep=1 ;;
        --hold) hold=1 ;;
        --no-usage) usage=0 ;;
        --soak) soak=10; if [[ "${2:-}" =~ ^[0-9]+$ ]]; then soak="$2"; shift; fi ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

for n in "$duration" "$warmup" "$repeats" "$ttfb_samples" "$soak"; do
    [[ "$n" =~ ^[0-9]+$ ]] || die "durations, repeats and samples must be whole numbers (got '$n')"
done
[ "$duration" -ge 1 ] && [ "$repeats" -ge 1 ] || die "--duration and --repeats must be at least 1"
if [ -n "$baseline_dir" ]; then
    [ -f "$baseline_dir/AiPlatform.Gateway.dll" ] || die "--baseline-gateway: no AiPlatform.Gateway.dll in $baseline_dir"
    baseline_dir="$(cd "$baseline_dir" && pwd)"
    # Each next to its counterpart, so that the two builds are measured one right after the other in every round.
    [ "$targets_given" = 1 ] || targets="direct,nginx,bare-proxy,gateway-miss,baseline-miss,gateway-hit,baseline-hit,portkey,sim-direct,gateway-sim"
fi
IFS=',' read -r -a conc_list <<<"$concurrencies"
IFS=',' read -r -a target_list <<<"$targets"
for c in "${conc_list[@]}"; do [[ "$c" =~ ^[1-9][0-9]*$ ]] || die "bad concurrency '$c'"; done
baseline=0
case ",$targets," in *,baseline-*) baseline=1 ;; esac
[ "$baseline" = 0 ] || [ -n "$baseline_dir" ] || die "the baseline-* targets need --baseline-gateway DIR"
[ -z "$baseline_dir" ] || [ "$baseline" = 1 ] || say "no baseline-* target in --targets: the baseline Gateway is not started"

# ---------------------------------------------------------------------------------------------------------------
# Prerequisites

prerequisites=(wrk=wrk nginx=nginx-light redis-server=redis-server curl=curl setpriv=util-linux)
# Debian's initdb is on no PATH: the pattern of its folder (lib/processes.sh).
[ "$usage" = 0 ] || prerequisites+=('/usr/lib/postgresql/*/bin/initdb=postgresql')
install_missing "${prerequisites[@]}"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
CLK_TCK="$(getconf CLK_TCK)"
# Every server is started by start_server and stopped by PID on exit (lib/processes.sh).
init_work bench

# ---------------------------------------------------------------------------------------------------------------
# Build

build_services "$configuration" "$build" "$([ "$usage" = 0 ] || echo usageapi)"

# Kestrel and YARP alone (bench/BareProxy), when measured: the framework's floor under the Gateway.
bare_proxy=0
case ",$targets," in *,bare-proxy,*) bare_proxy=1 ;; esac
bare_bin="$ROOT/bench/BareProxy/bin/$configuration/net10.0"
if [ "$bare_proxy" = 1 ]; then
    if [ "$build" = 1 ]; then
        dotnet build "$ROOT/bench/BareProxy/BareProxy.csproj" -c "$configuration" -nologo -clp:ErrorsOnly -v:quiet >"$WORK/build.log" 2>&1 \
            || { cat "$WORK/build.log" >&2; die "build of bench/BareProxy failed"; }
    fi
    [ -f "$bare_bin/AiPlatform.BareProxy.dll" ] || die "no BareProxy build in $bare_bin (run without --no-build)"
fi

# ---------------------------------------------------------------------------------------------------------------
# Upstreams: nginx with fixed answers, and the simulator

# The answer as an nginx single-quoted string: backslash and quote escaped, newlines as \n. nginx would expand
# a '$' as a variable, so the fixtures must have none.
nginx_string() {
    local text
    text="$(cat "$1"; printf x)"; text="${text%x}"
    case "$text" in *'$'*) die "$1 contains '\$', which nginx would expand";; esac
    text="${text//\\/\\\\}"; text="${text//\'/\\\'}"; text="${text//$'\n'/\\n}"
    printf "'%s'" "$text"
}

nginx_common() {
    local name="$1"
    mkdir -p "$WORK/$name"
    cat <<EOF
worker_processes auto;
pid $WORK/$name/nginx.pid;
error_log $WORK/$name/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/$name/client_body;
    proxy_temp_path $WORK/$name/proxy;
    fastcgi_temp_path $WORK/$name/fastcgi;
    uwsgi_temp_path $WORK/$name/uwsgi;
    scgi_temp_path $WORK/$name/scgi;
    keepalive_requests 10000000;
    keepalive_timeout 300s;
    client_max_body_size 8m;
EOF
}

free_port; upstream_port=$PORT
{
    nginx_common upstream
    cat <<EOF
    server {
        listen 127.0.0.1:$upstream_port;
        location = /v1/chat/completions { default_type application/json; return 200 $(nginx_string "$FIXTURES/chat-completion.json"); }
        location = /sse/v1/chat/completions {
            default_type text/event-stream;
            add_header Cache-Control no-cache;
            return 200 $(nginx_string "$FIXTURES/chat-completion.sse");
        }
        location = /health { return 200 'ok'; }
    }
}
EOF
} >"$WORK/upstream.conf"
start_server upstream "$WORK" "$NGINX" -p "$WORK/upstream" -c "$WORK/upstream.conf" -g 'daemon off; master_process on;'
upstream_pid=$LAST_PID
wait_http upstream "$upstream_pid" "http://127.0.0.1:$upstream_port/health" 10

free_port; proxy_port=$PORT
{
    nginx_common proxy
    cat <<EOF
    upstream fixed_upstream {
        server 127.0.0.1:$upstream_port;
        keepalive 256;
        keepalive_requests 10000000;
        keepalive_timeout 300s;
    }
    server {
        listen 127.0.0.1:$proxy_port;
        location / {
            proxy_pass http://fixed_upstream;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_buffering off;
            proxy_request_buffering off;
        }
    }
}
EOF
} >"$WORK/proxy.conf"
start_server proxy "$WORK" "$NGINX" -p "$WORK/proxy" -c "$WORK/proxy.conf" -g 'daemon off; master_process on;'
proxy_pid=$LAST_PID
wait_http proxy "$proxy_pid" "http://127.0.0.1:$proxy_port/health" 10

bare_port=""; bare_pid=""
if [ "$bare_proxy" = 1 ]; then
    free_port; bare_port=$PORT
    start_server bare-proxy "$bare_bin" env ASPNETCORE_URLS="http://127.0.0.1:$bare_port" ASPNETCORE_ENVIRONMENT=Production \
        BareProxy__Upstream="http://127.0.0.1:$upstream_port" dotnet AiPlatform.BareProxy.dll
    bare_pid=$LAST_PID
    wait_http bare-proxy "$bare_pid" "http://127.0.0.1:$bare_port/health" 30
fi

free_port; worker_port=$PORT
start_simulator worker "$worker_port" \
    Inference__Simulator__TimeToFirstTokenMs=0 Inference__Simulator__InterTokenLatencyMs=0 \
    Inference__Simulator__MaxConcurrentSequences=4096 \
    Inference__Admission__MaxRunning=4096 Inference__Admission__MaxWaiting=16384
worker_pid=$LAST_PID

# ---------------------------------------------------------------------------------------------------------------
# Redis, Postgres and UsageApi, the virtual key, the Gateway

start_redis
usageapi_url=""
usageapi_pid=""
pg_pid=""
if [ "$usage" = 1 ]; then
    master_key="$(new_secret sk-aig-master-)"
    forwarder_key="$(new_secret sk-aig-fwd-)"
    start_postgres
    start_usageapi
    # Limits set, so the limiter's Lua runs on every request, and high enough never to refuse one.
    create_key "$key_rpm" "$key_tpm" "$key_budget"
    # What the logs hold from here on is the run's: a fresh database's migration makes EF Core log a failed query of its
    # history table, and Postgres that query's error.
    usageapi_log_start=$(wc -l <"$WORK/usageapi.log")
    pg_log_start=$(wc -l <"$WORK/postgres.log")
else
    seed_key "$key_rpm" "$key_tpm" "$key_budget"
fi

free_port; gateway_port=$PORT
# Everything but the listening address, which start_gateway adds: the baseline Gateway gets the same.
gateway_base_env "$usageapi_url"
gateway_env+=(
    Gateway__Models__0__Name=bench Gateway__Models__0__Targets__0__BaseUrl="http://127.0.0.1:$upstream_port/v1"
    Gateway__Models__1__Name=bench-sse Gateway__Models__1__Targets__0__BaseUrl="http://127.0.0.1:$upstream_port/sse/v1"
    Gateway__Models__2__Name=bench-sim Gateway__Models__2__Targets__0__BaseUrl="http://127.0.0.1:$worker_port/v1"
    Gateway__Models__2__Targets__0__Model=sim
)
gateway_env+=("${extra_gateway_env[@]}")
start_gateway gateway "$gateway_bin" "$gateway_port"
gateway_pid=$LAST_PID

# The baseline shares Redis, and so the key record and the limiter's counters, with the Gateway under test: a second
# Redis would differ in its warmth and its CPU share. Both stay idle while the other is measured. Their MISS bodies
# differ (body_nonce), so that neither is served what the other stored.
baseline_port=""
baseline_pid=""
if [ "$baseline" = 1 ]; then
    free_port; baseline_port=$PORT
    start_gateway baseline "$baseline_dir" "$baseline_port"
    baseline_pid=$LAST_PID
fi

wait_http worker "$worker_pid" "http://127.0.0.1:$worker_port/health" 60
wait_http gateway "$gateway_pid" "http://127.0.0.1:$gateway_port/health" 60
[ "$baseline" = 0 ] || wait_http baseline "$baseline_pid" "http://127.0.0.1:$baseline_port/health" 60

# ---------------------------------------------------------------------------------------------------------------
# Portkey (optional: its row says why when it is not there)

portkey_state=ok
portkey_note=""
portkey_port=""
portkey_pid=""
start_portkey() {
    if [ "$portkey" = 0 ]; then portkey_state=unavailable; portkey_note="left out (--no-portkey)"; return; fi
    case ",$targets," in *,portkey,*) ;; *) portkey_state=unavailable; portkey_note="not in --targets"; return ;; esac
    local major
    major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
    if ! command -v npm >/dev/null || [ "$major" -lt 20 ]; then
        portkey_state=unavailable; portkey_note="needs Node 20+ and npm (found: $(node --version 2>/dev/null || echo none))"; return
    fi
    local dir="${portkey_dir:-$WORK/portkey}"
    local entry="$dir/node_modules/@portkey-ai/gateway/build/start-server.js"
    if [ ! -f "$entry" ] || ! cmp -s "$BENCH_DIR/portkey/package.json" "$dir/package.json"; then
        say "installing Portkey (npm) into $dir"
        mkdir -p "$dir"
        cp "$BENCH_DIR/portkey/package.json" "$dir/package.json"
        local status=0
        (cd "$dir" && run_child timeout "$portkey_install_timeout" npm install --no-audit --no-fund --loglevel=error \
            --fetch-retries=1 --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=5000 >"$WORK/npm.log" 2>&1) || status=$?
        if [ "$status" -ne 0 ]; then
            portkey_state=unavailable
            if [ "$status" = 124 ]; then
                portkey_note="npm install did not finish within $portkey_install_timeout s"
            else
                portkey_note="npm install failed: $(grep -m1 -i 'err' "$WORK/npm.log" | tr '\t|`' '   ' | cut -c1-120)"
            fi
            rm -f "$dir/package.json"
            return
        fi
    fi
    free_port; portkey_port=$PORT
    start_server portkey "$dir" env NODE_ENV=production node --import "$BENCH_DIR/portkey/loopback.mjs" "$entry" --port="$portkey_port" --headless
    portkey_pid=$LAST_PID
    if ! wait_port "$portkey_pid" "$portkey_port" 30; then
        portkey_state=unavailable; portkey_note="did not start: $(tail -n 1 "$WORK/portkey.log" | tr '\t|' '  ' | cut -c1-120)"
    fi
}
start_portkey

# ---------------------------------------------------------------------------------------------------------------
# Targets: URL, model, whether bodies are unique, extra headers, the base its added latency is measured against,
# and the processes whose CPU and memory are charged to it.

declare -A t_url t_model t_unique t_headers t_base t_pids t_redis t_stream_model t_stream_url
portkey_headers="x-portkey-provider: openai|x-portkey-custom-host: http://127.0.0.1:$upstream_port/v1"
portkey_sse_headers="x-portkey-provider: openai|x-portkey-custom-host: http://127.0.0.1:$upstream_port/sse/v1"

define_target() { # name url model unique headers base pids redis
    t_url[$1]="$2"; t_model[$1]="$3"; t_unique[$1]="$4"; t_headers[$1]="$5"; t_base[$1]="$6"; t_pids[$1]="$7"; t_redis[$1]="$8"
}
define_target direct "http://127.0.0.1:$upstream_port/v1/chat/completions" bench 1 "" direct upstream 0
define_target nginx "http://127.0.0.1:$proxy_port/v1/chat/completions" bench 1 "" direct proxy 0
define_target bare-proxy "http://127.0.0.1:$bare_port/v1/chat/completions" bench 1 "" direct bare 0
define_target gateway-miss "http://127.0.0.1:$gateway_port/v1/chat/completions" bench 1 "" direct gateway 1
define_target gateway-hit "http://127.0.0.1:$gateway_port/v1/chat/completions" bench 0 "" direct gateway 1
define_target gateway-bypass "http://127.0.0.1:$gateway_port/v1/chat/completions" bench 0 "aig-skip-cache: true" direct gateway 1
define_target portkey "http://127.0.0.1:$portkey_port/v1/chat/completions" bench 1 "$portkey_headers" direct portkey 0
define_target sim-direct "http://127.0.0.1:$worker_port/v1/chat/completions" sim 1 "" sim-direct worker 0
define_target gateway-sim "http://127.0.0.1:$gateway_port/v1/chat/completions" bench-sim 1 "" sim-direct gateway 1
define_target baseline-miss "http://127.0.0.1:$baseline_port/v1/chat/completions" bench 1 "" direct baseline 1
define_target baseline-hit "http://127.0.0.1:$baseline_port/v1/chat/completions" bench 0 "" direct baseline 1
# The streamed variant, for the time to first byte: same targets, the upstream's /sse/v1 answer.
t_stream_url=(
    [direct]="http://127.0.0.1:$upstream_port/sse/v1/chat/completions"
    [nginx]="http://127.0.0.1:$proxy_port/sse/v1/chat/completions"
    [bare-proxy]="http://127.0.0.1:$bare_port/sse/v1/chat/completions"
    [gateway-miss]="http://127.0.0.1:$gateway_port/v1/chat/completions"
    [portkey]="http://127.0.0.1:$portkey_port/v1/chat/completions"
    [sim-direct]="http://127.0.0.1:$worker_port/v1/chat/completions"
    [gateway-sim]="http://127.0.0.1:$gateway_port/v1/chat/completions"
    [baseline-miss]="http://127.0.0.1:$baseline_port/v1/chat/completions"
)
t_stream_model=([direct]=bench [nginx]=bench [bare-proxy]=bench [gateway-miss]=bench-sse [portkey]=bench [sim-direct]=sim [gateway-sim]=bench-sim
    [baseline-miss]=bench-sse)

# body_nonce NAME NONCE : the nonce of NAME's bodies. The baseline's has its first character replaced: bodies of the
# same length as the Gateway's own (the same parsing and hashing work), and none the same, since the two share Redis.
body_nonce() {
    case "$1" in baseline-*) echo "B${2:1}" ;; *) echo "$2" ;; esac
}

pids_of() { # role -> PIDs whose CPU/RSS count for it (nginx: master and workers; Postgres: the postmaster and its backends)
    case "$1" in
        upstream) echo "$upstream_pid $(pgrep -P "$upstream_pid" | tr '\n' ' ')" ;;
        proxy) echo "$proxy_pid $(pgrep -P "$proxy_pid" | tr '\n' ' ')" ;;
        gateway) echo "$gateway_pid" ;;
        bare) echo "$bare_pid" ;;
        baseline) echo "$baseline_pid" ;;
        worker) echo "$worker_pid" ;;
        portkey) echo "$portkey_pid" ;;
        redis) echo "$redis_pid" ;;
        usageapi) echo "$usageapi_pid" ;;
        postgres) [ -z "$pg_pid" ] || echo "$pg_pid $(pgrep -P "$pg_pid" | tr '\n' ' ')" ;;
    esac
}

# utime + stime, in clock ticks, summed over the PIDs (all threads of each process), with cutime + cstime: the CPU of
# children that ended and were waited for. That keeps a Postgres backend's CPU once its connection closed (its ticks
# move to the postmaster's cutime); no other server here has children that end.
cpu_ticks() {
    local total=0 pid stat
    for pid in "$@"; do
        stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || continue
        stat="${stat##*) }"   # fields after the command name, which may contain spaces
        # shellcheck disable=SC2086
        set -- $stat
        total=$((total + ${12} + ${13} + ${14} + ${15}))  # fields 14 to 17 of stat (utime, stime, cutime, cstime)
    done
    echo "$total"
}

# role_ticks ROLE : cpu_ticks of the role's processes as they are now (Postgres starts a backend per new connection).
role_ticks() {
    # shellcheck disable=SC2046
    cpu_ticks $(pids_of "$1")
}

# The 2xx answers the clients received from the Gateways (probes, warm-ups, runs, streamed samples, the soak): a floor for
# the ledger's count. A request cut at the end of a wrk run may have been answered, and recorded, without wrk counting it.
client_2xx=0
count_answers() { # name count
    if [ "${t_redis[$1]}" = 1 ]; then client_2xx=$((client_2xx + $2)); fi
}

# status_kib FIELD PID… : a /proc/PID/status field in KiB, summed over the PIDs.
status_kib() {
    local field="$1" total=0 pid kib; shift
    for pid in "$@"; do
        kib="$(awk -v f="$field:" '$1 == f { print $2 }' "/proc/$pid/status" 2>/dev/null)" || continue
        total=$((total + ${kib:-0}))
    done
    echo "$total"
}
# Peak RSS (VmHWM) in KiB, summed over the PIDs; reset_peak starts a new peak (Linux clear_refs 5).
peak_rss_kib() { status_kib VmHWM "$@"; }
reset_peak() {
    local pid
    for pid in "$@"; do echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || rss_resettable=0; done
}
rss_resettable=1

# One request through a target; prints the HTTP status (and keeps the headers for checks).
probe() { # name body_file
    local name="$1" body="$2"
    local args=(-sS -o "$WORK/probe.body" -D "$WORK/probe.headers" -w '%{http_code}' --max-time 10
        -H 'Content-Type: application/json' -H "Authorization: Bearer $VIRTUAL_KEY" --data-binary "@$body")
    local IFS='|' header
    for header in ${t_headers[$name]}; do args+=(-H "$header"); done
    curl "${args[@]}" "${t_url[$name]}" 2>/dev/null || echo 000
}

body_for() { # model nonce -> path of a request body file
    local file="$WORK/body-$1-$2.json"
    sed -e "s/\"model\":\"[^\"]*\"/\"model\":\"$1\"/" -e "s/\[req:0\]/[req:$2]/" "$FIXTURES/chat-request.json" >"$file"
    echo "$file"
}

declare -A state note
checked_targets=()
for name in "${target_list[@]}"; do
    [ -n "${t_url[$name]:-}" ] || die "unknown target '$name' (see --help)"
    checked_targets+=("$name")
    state[$name]=ok; note[$name]=""
    if [ "$name" = portkey ] && [ "$portkey_state" != ok ]; then
        state[$name]=unavailable; note[$name]="$portkey_note"; continue
    fi
    status="$(probe "$name" "$(body_for "${t_model[$name]}" "probe-$name")")"
    [ "$status" != 200 ] || count_answers "$name" 1
    if [ "$status" != 200 ]; then
        state[$name]=unavailable
        note[$name]="answered $status to a probe request: $(head -c 120 "$WORK/probe.body" 2>/dev/null | tr '\t\n|' '   ')"
        say "$name: ${note[$name]}"
        continue
    fi
    case "$name" in
        gateway-miss|gateway-sim|baseline-miss)
            grep -qi '^aig-cache-status: *MISS' "$WORK/probe.headers" || die "$name: expected aig-cache-status MISS, got: $(grep -i aig-cache "$WORK/probe.headers")" ;;
        gateway-hit|baseline-hit)
            # The fixed body of the HIT runs (nonce "hit"): the first request stores it, later ones hit. Both
            # Gateways read the same entry: the cache's format marker is the same in both builds, or this says so.
            # The answer is stored after the response (OnCompleted), so give a busy machine a few seconds.
            hit_body="$(body_for bench hit)"
            for _ in $(seq 1 25); do
                status="$(probe "$name" "$hit_body")"
                [ "$status" != 200 ] || count_answers "$name" 1
                [ "$status" = 200 ] && grep -qi '^aig-cache-status: *HIT' "$WORK/probe.headers" && break
                sleep 0.2
            done
            grep -qi '^aig-cache-status: *HIT' "$WORK/probe.headers" \
                || die "$name: the fixed request is not served from the cache: $(grep -i aig-cache "$WORK/probe.headers")" ;;
    esac
done

if [ "$hold" = 1 ]; then
    for name in "${checked_targets[@]}"; do say "$name: ${t_url[$name]} (${state[$name]}${note[$name]:+: ${note[$name]}})"; done
    say "key: $VIRTUAL_KEY; Gateway pid $gateway_pid${baseline_pid:+; baseline Gateway pid $baseline_pid}; Redis 127.0.0.1:$redis_port; work folder $WORK"
    if [ "$usage" = 1 ]; then
        say "UsageApi $usageapi_url (pid $usageapi_pid), master key $master_key; Postgres 127.0.0.1:$pg_port (pid $pg_pid):" \
            "$pg_bin/psql -h 127.0.0.1 -p $pg_port -U postgres usagedb"
    fi
    say "holding; Ctrl+C stops everything"
    run_child sleep infinity
fi

# ---------------------------------------------------------------------------------------------------------------
# Measurements

: >"$WORK/runs.tsv"
: >"$WORK/ttfb.tsv"

# wrk_run NAME CONC SECONDS NONCE : sets WRK_LINE to the BENCH_RESULT line of wrk's done() (run_wrk).
wrk_run() {
    local name="$1" conc="$2" seconds="$3" nonce="$4"
    local nonce_value
    nonce_value="$(body_nonce "$name" "$nonce")"
    [ "${t_unique[$name]}" = 0 ] && nonce_value=hit
    run_wrk "$name" chat.lua "${t_url[$name]}" "$conc" "$seconds" 5s \
        BENCH_BODY="$FIXTURES/chat-request.json" BENCH_KEY="$VIRTUAL_KEY" BENCH_MODEL="${t_model[$name]}" \
        BENCH_UNIQUE="${t_unique[$name]}" BENCH_NONCE="$nonce_value" BENCH_HEADERS="${t_headers[$name]}"
    count_answers "$name" $(( $(field "$WRK_LINE" requests) - $(field "$WRK_LINE" status_errors) ))
}

measured_targets=()
for name in "${checked_targets[@]}"; do [ "${state[$name]}" = ok ] && measured_targets+=("$name"); done

# platform_ticks : the CPU ticks of Redis, UsageApi and Postgres (0 for those not running), space-separated: what the
# Gateway rows are charged besides the Gateway's own process.
platform_ticks() {
    if [ "$usage" = 1 ]; then
        echo "$(role_ticks redis) $(role_ticks usageapi) $(role_ticks postgres)"
    else
        echo "$(role_ticks redis) 0 0"
    fi
}

if [ "$warmup" -gt 0 ]; then
    for name in "${measured_targets[@]}"; do
        say "warm-up: $name (${warmup} s, 16 connections)"
        wrk_run "$name" 16 "$warmup" "warmup"
    done
fi

# round_order REPEAT : the measured targets in the order of that round. In even rounds each baseline-X swaps places with
# gateway-X, so that neither build is always the one measured first (after nginx's light load, or a GC the other left).
round_order() {
    local name partner
    for name in "${measured_targets[@]}"; do
        case "$name" in
            gateway-*) partner="baseline-${name#gateway-}" ;;
            baseline-*) partner="gateway-${name#baseline-}" ;;
            *) partner="" ;;
        esac
        if [ $(($1 % 2)) = 0 ] && [ -n "$partner" ] && [[ " ${measured_targets[*]} " == *" $partner "* ]]; then
            echo "$partner"
        else
            echo "$name"
        fi
    done
}

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
total_runs=$(( repeats * ${#conc_list[@]} * ${#measured_targets[@]} ))
run=0
for repeat in $(seq 1 "$repeats"); do
    mapfile -t round < <(round_order "$repeat")
    for conc in "${conc_list[@]}"; do
        for name in "${round[@]}"; do
            run=$((run + 1))
            pids="$(pids_of "${t_pids[$name]}")"
            # shellcheck disable=SC2086
            reset_peak $pids
            # shellcheck disable=SC2086
            before="$(cpu_ticks $pids)"; platform_before="$(platform_ticks)"
            wrk_run "$name" "$conc" "$duration" "r$repeat-c$conc"
            line="$WRK_LINE"
            # shellcheck disable=SC2086
            after="$(cpu_ticks $pids)"; platform_after="$(platform_ticks)"
            # shellcheck disable=SC2086
            rss_kib="$(peak_rss_kib $pids)"
            # shellcheck disable=SC2086
            rss_after_kib="$(status_kib VmRSS $pids)"
            requests="$(field "$line" requests)"; duration_us="$(field "$line" duration_us)"
            socket_errors=$(( $(field "$line" connect_errors) + $(field "$line" read_errors) + $(field "$line" write_errors) + $(field "$line" timeouts) ))
            awk -v n="$name" -v c="$conc" -v r="$repeat" -v req="$requests" -v dus="$duration_us" \
                -v p50="$(field "$line" p50_us)" -v p90="$(field "$line" p90_us)" -v p99="$(field "$line" p99_us)" \
                -v se="$(field "$line" status_errors)" -v so="$socket_errors" -v cpu=$((after - before)) \
                -v before="$platform_before" -v after="$platform_after" -v usage="$usage" \
                -v redis="${t_redis[$name]}" -v tck="$CLK_TCK" -v rss="$rss_kib" -v rr="$rss_resettable" -v rss_after="$rss_after_kib" 'BEGIN {
                    OFS = "\t"
                    us_per_tick = 1000000 / tck
                    split(before, b, " "); split(after, a, " ")   # Redis, UsageApi, Postgres
                    per_req = (redis == 1 && req > 0) ? us_per_tick / req : 0
                    cpu_req = req > 0 ? sprintf("%.1f", cpu * us_per_tick / req) : "-"
                    redis_req = per_req ? sprintf("%.1f", (a[1] - b[1]) * per_req) : "-"
                    usageapi_req = (per_req && usage == 1) ? sprintf("%.1f", (a[2] - b[2]) * per_req) : "-"
                    postgres_req = (per_req && usage == 1) ? sprintf("%.1f", (a[3] - b[3]) * per_req) : "-"
                    platform_req = per_req ? sprintf("%.1f", (cpu + a[1] - b[1] + a[2] - b[2] + a[3] - b[3]) * per_req) : "-"
                    print n, c, r, sprintf("%.1f", req / (dus / 1000000)), p50, p90, p99, se, so, cpu_req, redis_req,
                        (rr == 1 ? sprintf("%.1f", rss / 1024) : "-"), usageapi_req, postgres_req, platform_req, sprintf("%.1f", rss_after / 1024)
                }' >>"$WORK/runs.tsv"
            say "[$run/$total_runs] repeat $repeat, c$conc, $name: $(tail -n 1 "$WORK/runs.tsv" | awk -F '\t' '{ printf "%s req/s, p50 %.3f ms, p99 %.3f ms, errors %d+%d, CPU %s µs/req%s", $4, $5 / 1000, $7 / 1000, $8, $9, $10, ($15 == "-" ? "" : ", platform " $15 " µs/req") }')"
            sleep 0.5
        done
    done
done
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

# Time to first byte of the streamed answer: curl runs the requests one after another on one keep-alive connection
# (a config file with one part per request), each with a distinct body so the Gateway goes upstream every time
# (cache MISS), and reports time_starttransfer per request: from the start of the request to its first response byte.
ttfb_targets=()
if [ "$ttfb_samples" -gt 0 ]; then
    for name in "${measured_targets[@]}"; do [ -n "${t_stream_url[$name]:-}" ] && ttfb_targets+=("$name"); done
fi
for repeat in $(seq 1 "$repeats"); do
    for name in "${ttfb_targets[@]}"; do
        say "time to first byte: $name, repeat $repeat ($ttfb_samples streamed requests)"
        config="$WORK/ttfb-$name.curl"
        : >"$config"
        mkdir -p "$WORK/ttfb-bodies"
        for i in $(seq 0 "$ttfb_samples"); do
            body="$WORK/ttfb-bodies/$name-$repeat-$i.json"
            sed -e "s/\"model\":\"[^\"]*\"/\"model\":\"${t_stream_model[$name]}\",\"stream\":true/" \
                -e "s/\[req:0\]/[req:$(body_nonce "$name" "ttfb-$repeat-$i")]/" "$FIXTURES/chat-request.json" >"$body"
            if [ "$i" -gt 0 ]; then echo next >>"$config"; fi
            {
                echo "url = \"${t_stream_url[$name]}\""
                echo 'header = "Content-Type: application/json"'
                echo "header = \"Authorization: Bearer $VIRTUAL_KEY\""
                if [ "$name" = portkey ]; then
                    IFS='|' read -r -a extra <<<"$portkey_sse_headers"
                    for header in "${extra[@]}"; do echo "header = \"$header\""; done
                fi
                echo "data-binary = \"@$body\""
                echo 'output = "/dev/null"'
                # The first request opens the connection; it is not counted.
                if [ "$i" -gt 0 ]; then echo 'write-out = "%{time_starttransfer}\t%{http_code}\t%{exitcode}\n"'; fi
            } >>"$config"
        done
        run_child curl -sS --max-time 10 -K "$config" >"$WORK/ttfb.out" 2>"$WORK/ttfb.err" || true
        awk -v n="$name" -v b="${t_base[$name]}" \
            'BEGIN { OFS = "\t" } NF == 3 { print n, b, $1, $2, $3 }' "$WORK/ttfb.out" >>"$WORK/ttfb.tsv"
        count_answers "$name" "$(awk 'NF == 3 && $2 == 200' "$WORK/ttfb.out" | wc -l)"
    done
done

# ---------------------------------------------------------------------------------------------------------------
# Soak: gateway-miss at concurrency 64 for --soak minutes, in consecutive 30-s wrk runs (each its own slice of req/s),
# the Gateway's RSS (VmRSS, what it holds now, not its peak) read before the first and after each, with its parts: anonymous
# memory (the GC heap, native allocations, thread stacks), mapped files (the assemblies' code and data as they are touched)
# and shared memory (the JIT's code, mapped twice by W^X), so that a growth can be told from the JIT warming up.

: >"$WORK/soak.tsv"
soak_note=""
# rss_now_mib PID : "VmRSS RssAnon RssFile RssShmem" in MiB, tab-separated (status_kib).
rss_now_mib() {
    local field
    for field in VmRSS RssAnon RssFile RssShmem; do status_kib "$field" "$1"; done \
        | awk '{ printf "%s%.1f", (NR > 1 ? "\t" : ""), $1 / 1024 } END { printf "\n" }'
}
if [ "$soak" -gt 0 ]; then
    if [ "${state[gateway-miss]:-ok}" != ok ]; then
        soak_note="gateway-miss unavailable: ${note[gateway-miss]}"
        say "no soak: $soak_note"
    else
        slices=$((soak * 2))
        IFS=$'\t' read -r rss anon files shmem <<<"$(rss_now_mib "$gateway_pid")"
        printf '0\t%s\t-\t-\t0\t%s\t%s\t%s\n' "$rss" "$anon" "$files" "$shmem" >>"$WORK/soak.tsv"
        for slice in $(seq 1 "$slices"); do
            wrk_run gateway-miss 64 30 "soak-$slice"
            line="$WRK_LINE"
            errors=$(( $(field "$line" status_errors) + $(field "$line" connect_errors) + $(field "$line" read_errors) \
                + $(field "$line" write_errors) + $(field "$line" timeouts) ))
            IFS=$'\t' read -r rss anon files shmem <<<"$(rss_now_mib "$gateway_pid")"
            awk -v m="$slice" -v rss="$rss" -v req="$(field "$line" requests)" \
                -v dus="$(field "$line" duration_us)" -v p99="$(field "$line" p99_us)" -v e="$errors" \
                -v anon="$anon" -v files="$files" -v shmem="$shmem" \
                'BEGIN { OFS = "\t"; print m / 2, rss, sprintf("%.1f", req / (dus / 1000000)), p99, e, anon, files, shmem }' >>"$WORK/soak.tsv"
            say "soak $slice/$slices (minute $(tail -n 1 "$WORK/soak.tsv" | awk -F '\t' '{ printf "%s: RSS %s MiB, %s req/s, errors %s", $1, $2, $3, $5 }'))"
        done
    fi
fi

# ---------------------------------------------------------------------------------------------------------------
# Ledger: every usage event the Gateways produced (their counter aiplatform.gateway.usage.events_produced, on /metrics)
# must be a record in Postgres once the shipper has flushed (every 100 ms by default) and UsageApi has written it; and
# the ledger's 2xx records can be no fewer than the 2xx answers the clients counted.

ledger_state=off
ledger_records=""; ledger_2xx=""; produced=""; parked=""; dropped=""; ledger_wait=""
if [ "$usage" = 1 ]; then
    # Each Gateway's Prometheus page into $WORK/metrics-PORT.txt; fails when one cannot be read.
    read_gateway_metrics() {
        local port
        for port in "$gateway_port" ${baseline_port:+"$baseline_port"}; do
            curl -fsS --max-time 5 -H "Authorization: Bearer $master_key" "http://127.0.0.1:$port/metrics" \
                >"$WORK/metrics-$port.txt" 2>/dev/null || return 1
        done
    }
    say "waiting for the ledger to hold every usage event (up to 60 s)"
    started=$SECONDS
    # The last answers' events are produced as their responses complete, a moment after wrk or curl stopped counting; and
    # the Prometheus exporter may serve a scrape again for a short while: the first read comes a second later.
    sleep 1
    ledger_state=failed
    for _ in $(seq 1 120); do
        produced=""
        read_gateway_metrics && produced="$(prometheus_sum aiplatform_gateway_usage_events_produced_total "$WORK"/metrics-*.txt)"
        IFS=$'\t' read -r ledger_records ledger_2xx < <(pg_sql usagedb \
            'SELECT count(*), count(*) FILTER (WHERE status_code BETWEEN 200 AND 299) FROM usage_records' 2>/dev/null || echo)
        if [ -n "$produced" ] && [ -n "$ledger_records" ] && [ "$ledger_records" -ge "$produced" ]; then ledger_state=ok; break; fi
        sleep 0.5
    done
    ledger_wait=$((SECONDS - started))
    # A counter that never counted is not on the page: none parked, none dropped.
    parked="$(prometheus_sum aiplatform_gateway_usage_events_parked_total "$WORK"/metrics-*.txt)"; parked="${parked:-0}"
    dropped="$(prometheus_sum aiplatform_gateway_usage_events_dropped_total "$WORK"/metrics-*.txt)"; dropped="${dropped:-0}"
    say "ledger: ${ledger_records:-?} records (${ledger_2xx:-?} 2xx), ${produced:-?} events produced, $client_2xx 2xx answers counted by the clients"
fi

# ---------------------------------------------------------------------------------------------------------------
# Report

# build_version DIR : the Gateway's informational version (version+commit, which the SDK stamps into the assembly).
build_version() {
    local version
    version="$(grep -aoE -m1 '[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?\+[0-9a-f]{7,40}' "$1/AiPlatform.Gateway.dll" || true)"
    echo "${version%%$'\n'*}" | grep . || echo "version unknown"
}

: >"$WORK/targets.tsv"
for name in "${checked_targets[@]}"; do
    printf '%s\t%s\t%s\t%s\n' "$name" "${t_base[$name]}" "${state[$name]}" "${note[$name]:-}" >>"$WORK/targets.tsv"
done

# gc_mode DIR : the GC the Gateway built in DIR runs with, from its runtimeconfig.json (the Web SDK's default is server GC).
gc_mode() {
    if grep -q '"System.GC.Server": false' "$1/AiPlatform.Gateway.runtimeconfig.json" 2>/dev/null; then echo 'workstation GC'; else echo 'server GC'; fi
}

{
    printf '## AiPlatform Gateway benchmark, %s\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    describe_machine
    printf -- '- command: `bench/run.sh'
    if [ ${#original_args[@]} -gt 0 ]; then printf ' %q' "${original_args[@]}"; fi
    printf -- '` → %s s per run, %s s warm-up per target, %s repeat(s), concurrency %s, wrk 2 threads (1 at concurrency 1)\n' \
        "$duration" "$warmup" "$repeats" "$concurrencies"
    printf -- '- load average (1/5/15 min) at the start of the runs: %s; at the end: %s\n' "$load_start" "$load_end"
    printf -- '- Gateway: %s build, %s, keys + rate limits (rpm %s, tpm %s, budget %s) + response cache; %s; no OTLP exporter%s\n' \
        "$configuration" "$(gc_mode "$gateway_bin")" "$key_rpm" "$key_tpm" "$key_budget" \
        "$([ "$usage" = 1 ] && echo 'usage events on (shipped to UsageApi)' || echo 'usage events off (--no-usage: no UsageApi, no Postgres, the key written into Redis)')" \
        "$( (( ${#extra_gateway_env[@]} )) && printf '; extra environment: %s' "${extra_gateway_env[*]}" || true)"
    if [ "$usage" = 1 ]; then
        printf -- '- UsageApi: %s build, Warning logs, configured as the AppHost configures it (usagedb, cache, master key), schema migrated at start; the bench key created through its admin API (POST /v1/keys); ledger in PostgreSQL %s, a throwaway cluster with the AppHost'"'"'s server settings, i.e. the defaults: %s\n' \
            "$configuration" "$(pg_sql postgres 'SHOW server_version' 2>/dev/null | cut -d' ' -f1)" \
            "$(pg_sql postgres "SELECT string_agg(n || '=' || current_setting(n), ', ') FROM unnest(ARRAY['fsync', 'synchronous_commit', 'full_page_writes', 'wal_level', 'shared_buffers']) AS n" 2>/dev/null)"
    fi
    if [ "$baseline" = 1 ]; then
        printf -- '- Gateway under test: %s (%s); baseline Gateway (baseline-* rows): %s (%s), from %s, with the same environment, Redis and key, on its own port; the two are measured one after the other in every round, in swapped order every second round\n' \
            "$(build_version "$gateway_bin")" "$(gc_mode "$gateway_bin")" "$(build_version "$baseline_dir")" "$(gc_mode "$baseline_dir")" "$baseline_dir"
    fi
    printf -- '- MISS rows send a distinct body per request (canonicalised, hashed, looked up and stored in Redis); HIT rows one fixed body; gateway-sim goes to the simulator at zero latency\n'
    for log in gateway $([ "$baseline" = 0 ] || echo baseline) worker; do describe_log_errors "$log" "$WORK/$log.log"; done
    if [ "$usage" = 1 ]; then
        tail -n +"$((usageapi_log_start + 1))" "$WORK/usageapi.log" >"$WORK/usageapi.run.log"
        describe_log_errors "UsageApi (after its start)" "$WORK/usageapi.run.log"
        printf -- '- Postgres logged %s ERROR/FATAL/PANIC lines after UsageApi'"'"'s start\n' \
            "$(tail -n +"$((pg_log_start + 1))" "$WORK/postgres.log" | grep -cE '(ERROR|FATAL|PANIC):' || true)"
    fi
    printf -- '- CPU µs/req: utime+stime of the process(es) under test (nginx: master and workers; direct: the upstream nginx) over the run divided by its requests; for the Gateway rows also Redis'"'"'s, UsageApi'"'"'s and Postgres'"'"'s (the postmaster and its backends, ended ones included) over the same run, and the platform'"'"'s: the sum of the four\n\n'
    awk -F '\t' -v usage="$usage" -v soak_minutes="$soak" -v soak_note="$soak_note" \
        -v ledger_state="$ledger_state" -v ledger_records="$ledger_records" -v ledger_2xx="$ledger_2xx" \
        -v produced="$produced" -v parked="$parked" -v dropped="$dropped" -v client_2xx="$client_2xx" -v ledger_wait="$ledger_wait" \
        -f "$BENCH_DIR/lib/stats.awk" -f "$BENCH_DIR/lib/report.awk" \
        "$WORK/targets.tsv" "$WORK/runs.tsv" "$WORK/ttfb.tsv" "$WORK/soak.tsv"
} >"$WORK/report.md"

if [ -n "$out_dir" ]; then
    mkdir -p "$out_dir"
    cp "$WORK/report.md" "$WORK/runs.tsv" "$WORK/ttfb.tsv" "$WORK/targets.tsv" "$WORK/soak.tsv" "$out_dir/"
fi
cat "$WORK/report.md"
