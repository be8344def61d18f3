#!/usr/bin/env bash
# Routing and resilience through the Gateway (issue 10): what retries and outlier ejection buy when a worker fails, and
# which strategy spreads load best over workers of unequal speed.
#
# Starts on 127.0.0.1, on free ports, and stops by PID on exit or interrupt:
#   - Redis with a seeded virtual key (limits high enough never to refuse);
#   - InferenceWorker simulators: w1, w2, w3 alike ("fast": 20 ms to the first token, 5 ms a token, 8 sequences at
#     once, admission control's running limit equal to it so that its queue is the worker's); "flaky", as fast, but
#     answering 500 to half its requests (Fault=500, FaultRate=0.5); "slow", three times slower per step;
#   - for every measured run, a fresh Gateway (Release build, usage events off, response cache off) with the run's
#     targets and settings, warmed up on the healthy workers and stopped after the run: no run inherits another's
#     ejections, backoffs or counts of requests in flight.
# Then wrk (non-streamed chat, max_tokens 16, a distinct body per request; bench/wrk/routing.lua also counts the
# answers' aig-target and aig-attempts headers) runs every configuration in turn, repeated, the order rotated each
# round; prints markdown tables with the medians (bench/lib/routing-report.awk).
#
# a. Failing worker (concurrency 16): three healthy workers; then w1, w2 and flaky, with the Gateway's defaults
#    (retries and ejection), with aig-max-attempts: 1 sent by the client (ejection but no retries), and both again with
#    ejection turned off, to see what each of the two does on its own.
# b. Skewed load (concurrency 32): w1, w2 and slow, one Gateway per strategy. Why a slow worker: at the same batch size
#    it has a third of the capacity (8 sequences of ~285 ms against ~95 ms: ~28 against ~84 answers/s), the common case
#    of a mixed fleet (an older GPU, a bigger model on the same card). A strategy blind to load (Weighted, equal weights)
#    sends it a third of the requests, three times its share: under a closed loop of 32 clients its queue grows until
#    it holds most of them, which caps the whole throughput near three times its own and sets p99 to its queue. A
#    strategy that sees load sends it about 1/7 (its share of the capacity) and keeps the fast workers busy.
#    LeastBusy and PowerOfTwoChoices compare the workers' announced queues (every 1 s through Redis) when they have them,
#    otherwise the Gateway's own count of requests in flight; so both run twice: without announcements, and with them
#    ("+ announced").
#
# Usage: bench/routing.sh [--quick] [options]      (bench/routing.sh --help)
set -euo pipefail

readonly BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly ROOT="$(cd "$BENCH_DIR/.." && pwd)"
readonly FIXTURES="$BENCH_DIR/fixtures"
BENCH_TAG=routing
source "$BENCH_DIR/lib/processes.sh"
source "$BENCH_DIR/lib/services.sh"

duration=10
warmup=3
repeats=3
parts="failing,skewed"
strategies="Weighted,LeastOutstanding,LeastBusy,PowerOfTwoChoices"
announce=1
failing_concurrency=16
skewed_concurrency=32
max_tokens=16
configuration=Release
build=1
out_dir=""
keep=0
extra_gateway_env=()
original_args=("$@")

usage() {
    cat <<'EOF'
Usage: bench/routing.sh [options]

  --quick                   5-second runs, 1 s warm-up, 1 repeat (set before other options)
  --duration S              seconds per wrk run (default 10)
  --warmup S                seconds of warm-up of each fresh Gateway, on the healthy workers (default 3)
  --repeats N               rounds over every configuration (default 3); medians are reported
  --parts LIST              failing, skewed or both (default failing,skewed)
  --strategies LIST         the strategies of the skewed part (default Weighted,LeastOutstanding,LeastBusy,PowerOfTwoChoices)
  --no-announce             workers do not announce their load: LeastBusy and PowerOfTwoChoices run only on the
                            Gateway's own counts of requests in flight
  --failing-concurrency N   wrk connections of the failing-worker part (default 16)
  --skewed-concurrency N    wrk connections of the skewed-load part (default 32)
  --max-tokens N            max_tokens of every request (default 16; each token takes 5 ms on a fast worker)
  --configuration C         build configuration of the services (default Release)
  --no-build                use the services as already built
  --gateway-env NAME=VALUE  extra environment for every Gateway (repeatable)
  --out DIR                 also write the report and the raw measurements into DIR
  --keep                    keep the temporary folder (configs, every Gateway's log)
  -h, --help                this text

A run with the defaults takes about 3 × 11 runs × ~17 s ≈ 10 min; --quick about 2 min.
Needs root or sudo the first time, to apt-get install what is missing (wrk, redis-server, curl).
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --quick) duration=5; warmup=1; repeats=1 ;;
        --duration) duration="${2?$1 needs a value}"; shift ;;
        --warmup) warmup="${2?$1 needs a value}"; shift ;;
        --repeats) repeats="${2?$1 needs a value}"; shift ;;
        --parts) parts="${2?$1 needs a value}"; shift ;;
        --strategies) strategies="${2?$1 needs a value}"; shift ;;
        --no-announce) announce=0 ;;
        --failing-concurrency) failing_concurrency="${2?$1 needs a value}"; shift ;;
        --skewed-concurrency) skewed_concurrency="${2?$1 needs a value}"; shift ;;
        --max-tokens) max_tokens="${2?$1 needs a value}"; shift ;;
        --configuration|-c) configuration="${2?$1 needs a value}"; shift ;;
        --no-build) build=0 ;;
        --gateway-env) extra_gateway_env+=("${2?$1 needs a value}"); shift ;;
        --out) out_dir="${2?$1 needs a value}"; shift ;;
        --keep) keep=1 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

for n in "$duration" "$warmup" "$repeats" "$failing_concurrency" "$skewed_concurrency" "$max_tokens"; do
    [[ "$n" =~ ^[0-9]+$ ]] || die "durations, repeats, concurrencies and max_tokens must be whole numbers (got '$n')"
done
[ "$duration" -ge 1 ] && [ "$repeats" -ge 1 ] || die "--duration and --repeats must be at least 1"
[ "$failing_concurrency" -ge 1 ] && [ "$skewed_concurrency" -ge 1 ] && [ "$max_tokens" -ge 1 ] \
    || die "concurrencies and --max-tokens must be at least 1"
IFS=',' read -r -a part_list <<<"$parts"
IFS=',' read -r -a strategy_list <<<"$strategies"
for part in "${part_list[@]}"; do
    case "$part" in failing|skewed) ;; *) die "unknown part '$part' (failing, skewed)" ;; esac
done
for strategy in "${strategy_list[@]}"; do
    case "$strategy" in Weighted|LeastOutstanding|LeastBusy|PowerOfTwoChoices) ;;
        *) die "unknown strategy '$strategy' (Weighted, LeastOutstanding, LeastBusy, PowerOfTwoChoices)" ;; esac
done

# ---------------------------------------------------------------------------------------------------------------
# Prerequisites, build

install_missing wrk=wrk redis-server=redis-server curl=curl setpriv=util-linux
command -v dotnet >/dev/null || die "dotnet (the .NET 10 SDK) is not on PATH"
# Every server is started by start_server and stopped by PID on exit (lib/processes.sh).
init_work routing
build_services "$configuration" "$build"

# ---------------------------------------------------------------------------------------------------------------
# Redis, the key, the workers

start_redis
seed_key 100000000 2000000000 none

# A worker's settings. Admission control admits as many as the engine decodes at once (vLLM's max_num_seqs), so that the
# queue a worker announces is the one its requests wait in.
readonly SEQUENCES=8
fast=(Inference__Simulator__TimeToFirstTokenMs=20 Inference__Simulator__InterTokenLatencyMs=5)
slow=(Inference__Simulator__TimeToFirstTokenMs=60 Inference__Simulator__InterTokenLatencyMs=15)
common_worker=(Inference__Simulator__MaxConcurrentSequences=$SEQUENCES Inference__Admission__MaxRunning=$SEQUENCES)
# Announcing workers write their load to Redis every second; a Gateway reads it only when its Gateway:Workers is on.
[ "$announce" = 0 ] || common_worker+=(ConnectionStrings__cache="127.0.0.1:$redis_port")

declare -A worker_port worker_pid
start_worker() { # name settings…
    local name="$1"; shift
    free_port; worker_port[$name]=$PORT
    start_simulator "$name" "$PORT" "${common_worker[@]}" "$@"
    worker_pid[$name]=$LAST_PID
}
start_worker w1 "${fast[@]}"
start_worker w2 "${fast[@]}"
start_worker w3 "${fast[@]}"
start_worker flaky "${fast[@]}" Inference__Simulator__Fault=500 Inference__Simulator__FaultRate=0.5
start_worker slow "${slow[@]}"
for name in w1 w2 w3 flaky slow; do
    wait_http "$name" "${worker_pid[$name]}" "http://127.0.0.1:${worker_port[$name]}/health" 60
done
# A worker too old to know FaultRate would fail every request: the failing part would measure something else.
flaky_check="$(for _ in $(seq 1 40); do
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 5 -H 'Content-Type: application/json' \
        --data '{"model":"sim","max_tokens":1,"messages":[{"role":"user","content":"x"}]}' \
        "http://127.0.0.1:${worker_port[flaky]}/v1/chat/completions"
done | sort | uniq -c | tr -s ' \n' '  ')"
case "$flaky_check" in *" 200 "*" 500 "*|*" 500 "*" 200 "*) ;;
    *) die "the flaky worker should answer 200 or 500, about half each; 40 requests got:$flaky_check(does this build know Inference:Simulator:FaultRate?)" ;;
esac

# The request: the bench fixture with a small max_tokens, so that a run is many short generations.
sed -e "s/\"max_tokens\":[0-9]*/\"max_tokens\":$max_tokens/" "$FIXTURES/chat-request.json" >"$WORK/request.json"
grep -q "\"max_tokens\":$max_tokens" "$WORK/request.json" || die "could not set max_tokens in $FIXTURES/chat-request.json"

# ---------------------------------------------------------------------------------------------------------------
# Configurations: the part, the model's targets, the Gateway's settings, the client's extra headers, a description.

declare -A c_part c_targets c_env c_headers c_label
configs=()
define_config() { # name part targets env headers label
    configs+=("$1"); c_part[$1]="$2"; c_targets[$1]="$3"; c_env[$1]="$4"; c_headers[$1]="$5"; c_label[$1]="$6"
}
no_ejection="Gateway__Resilience__Outliers__ConsecutiveFailures=1000 Gateway__Resilience__Outliers__MinimumRequests=100000"
static_only="Gateway__Workers__Enabled=false"
for part in "${part_list[@]}"; do
    case "$part" in
        failing)
            define_config healthy failing "w1 w2 w3" "$static_only" "" "three healthy workers"
            define_config flaky failing "w1 w2 flaky" "$static_only" "" "flaky worker; retries and ejection (defaults)"
            define_config flaky-1-attempt failing "w1 w2 flaky" "$static_only" "aig-max-attempts: 1" \
                "flaky worker; no retries (aig-max-attempts: 1), ejection"
            define_config flaky-no-ejection failing "w1 w2 flaky" "$static_only $no_ejection" "" \
                "flaky worker; retries, no ejection"
            define_config flaky-bare failing "w1 w2 flaky" "$static_only $no_ejection" "aig-max-attempts: 1" \
                "flaky worker; neither retries nor ejection"
            ;;
        skewed)
            for strategy in "${strategy_list[@]}"; do
                define_config "$strategy" skewed "w1 w2 slow" "$static_only Gateway__DefaultStrategy=$strategy" "" "$strategy"
                if [ "$announce" = 1 ] && [[ "$strategy" =~ ^(LeastBusy|PowerOfTwoChoices)$ ]]; then
                    define_config "$strategy+announced" skewed "w1 w2 slow" "Gateway__DefaultStrategy=$strategy" "" \
                        "$strategy + announced load"
                fi
            done
            ;;
    esac
done

# model_env INDEX MODEL TARGETS… : the Gateway settings routing MODEL to the named workers.
model_env() {
    local index="$1" model="$2" i=0 name; shift 2
    echo "Gateway__Models__${index}__Name=$model"
    for name in "$@"; do
        local target="Gateway__Models__${index}__Targets__${i}"
        echo "${target}__BaseUrl=http://127.0.0.1:${worker_port[$name]}/v1"
        echo "${target}__Model=sim"
        echo "${target}__Name=$name"
        i=$((i + 1))
    done
}

gateway_base_env
gateway_env+=(Gateway__Cache__Enabled=false)
# The warm-up model: the healthy workers, whatever the run measures.
mapfile -t -O "${#gateway_env[@]}" gateway_env < <(model_env 1 warm w1 w2 w3)
gateway_env+=("${extra_gateway_env[@]}")

# ---------------------------------------------------------------------------------------------------------------
# Measurements

# wrk_run URL MODEL CONC SECONDS NONCE HEADERS : sets WRK_LINE and ROUTING_LINE from routing.lua's done() (run_wrk).
wrk_run() {
    local url="$1" model="$2" conc="$3" seconds="$4" nonce="$5" headers="$6"
    run_wrk "$model at $url" routing.lua "$url" "$conc" "$seconds" 10s \
        BENCH_BODY="$WORK/request.json" BENCH_KEY="$VIRTUAL_KEY" BENCH_MODEL="$model" BENCH_UNIQUE=1 BENCH_NONCE="$nonce" \
        BENCH_HEADERS="$headers"
    ROUTING_LINE="$(grep '^ROUTING_RESULT ' "$WORK/wrk.out")" || { cat "$WORK/wrk.out" >&2; die "wrk printed no routing result"; }
}

# start_run_gateway NAME CONFIG : a fresh Gateway for one run of CONFIG, warmed up; sets gw_url and gw_pid.
start_run_gateway() {
    local name="$1" config="$2" settings
    # shellcheck disable=SC2086
    mapfile -t settings < <(model_env 0 bench ${c_targets[$config]}; printf '%s\n' ${c_env[$config]})
    free_port
    start_gateway "$name" "$gateway_bin" "$PORT" "${settings[@]}"
    gw_pid=$LAST_PID
    gw_url="http://127.0.0.1:$PORT/v1/chat/completions"
    wait_http "$name" "$gw_pid" "http://127.0.0.1:$PORT/health" 60
    local status
    status="$(curl -s -o "$WORK/probe.body" -w '%{http_code}' --max-time 10 -H 'Content-Type: application/json' \
        -H "Authorization: Bearer $VIRTUAL_KEY" --data-binary "@$WORK/request.json" \
        "$gw_url" 2>/dev/null)" || status=000
    [ "$status" = 200 ] || { tail -n 20 "$WORK/$name.log" >&2; die "$name answered $status to a probe: $(head -c 200 "$WORK/probe.body")"; }
    if [ "$warmup" -gt 0 ]; then
        wrk_run "$gw_url" warm 8 "$warmup" "warmup-$name" ""
        [ "$(field "$WRK_LINE" status_errors)" = 0 ] || die "$name failed requests during its warm-up on the healthy workers: $WRK_LINE"
    fi
}

# sample_queues INTERVAL NAME=PORT… : every INTERVAL seconds, one line "name:running:waiting …" with the workers' gauges
# from their /metrics (vLLM's names), read over bash's /dev/tcp so that a sample starts no process.
sample_queues() {
    local interval="$1" pair line running waiting out; shift
    while :; do
        out=""
        for pair in "$@"; do
            running=0; waiting=0
            if exec 3<>"/dev/tcp/127.0.0.1/${pair#*=}"; then
                printf 'GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
                while IFS= read -r line <&3; do
                    line="${line%$'\r'}"
                    case "$line" in
                        'vllm:num_requests_running{'*) running="${line##* }" ;;
                        'vllm:num_requests_waiting{'*) waiting="${line##* }" ;;
                    esac
                done
                exec 3<&-
            fi
            out+="${pair%%=*}:$running:$waiting "
        done
        echo "$out"
        sleep "$interval"
    done
}

# queued_beside_free LOG : the share of samples (%) in which requests waited at one worker while another had a free
# sequence and nothing waiting: time the routing, not the fleet, made requests wait.
queued_beside_free() {
    awk -v seq="$SEQUENCES" '{
        queued = 0; free = 0
        for (i = 1; i <= NF; i++) {
            split($i, f, ":")
            if (f[3] > 0) queued = 1
            else if (f[2] < seq) free = 1
        }
        n++; if (queued && free) bad++
    } END { if (n) printf "%.0f", 100 * bad / n; else printf "-" }' "$1"
}

: >"$WORK/runs.tsv"
: >"$WORK/configs.tsv"
for config in "${configs[@]}"; do
    printf '%s\t%s\t%s\t%s\n' "${c_part[$config]}" "$config" "${c_label[$config]}" "${c_targets[$config]}" >>"$WORK/configs.tsv"
done

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
total_runs=$((repeats * ${#configs[@]}))
run=0
for repeat in $(seq 1 "$repeats"); do
    # Each round starts one configuration further, so that none is always measured first or after the same neighbour.
    for i in $(seq 0 $((${#configs[@]} - 1))); do
        config="${configs[$(( (i + repeat - 1) % ${#configs[@]} ))]}"
        run=$((run + 1))
        conc=$failing_concurrency
        [ "${c_part[$config]}" = failing ] || conc=$skewed_concurrency
        name="gateway-${config//+/-}-r$repeat"
        start_run_gateway "$name" "$config"
        sampler=""
        if [ "${c_part[$config]}" = skewed ]; then
            # shellcheck disable=SC2086
            start_server "queues-$name" "$WORK" bash -c "$(declare -f sample_queues); sample_queues 0.2 \"\$@\"" sampler \
                $(for w in ${c_targets[$config]}; do echo "$w=${worker_port[$w]}"; done)
            sampler=$LAST_PID
        fi
        wrk_run "$gw_url" bench "$conc" "$duration" "r$repeat-$config" "${c_headers[$config]}"
        stop_server "$gw_pid" $sampler
        imbalance=-
        [ -z "$sampler" ] || imbalance="$(queued_beside_free "$WORK/queues-$name.log")"
        line="$WRK_LINE"; routing="$ROUTING_LINE"
        # Ejections (event 9002) and requests given up on (9004), logged as warnings by this run's Gateway.
        ejections="$(grep -c 'ResilientForwarder\[9002\]' "$WORK/$name.log" || true)"
        gave_up="$(grep -c 'ResilientForwarder\[9004\]' "$WORK/$name.log" || true)"
        socket_errors=$(( $(field "$line" connect_errors) + $(field "$line" read_errors) + $(field "$line" write_errors) + $(field "$line" timeouts) ))
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
            "${c_part[$config]}" "$config" "$repeat" "$conc" "$(field "$line" requests)" "$(field "$line" duration_us)" \
            "$(field "$line" p50_us)" "$(field "$line" p90_us)" "$(field "$line" p99_us)" \
            "$(field "$line" status_errors)" "$socket_errors" \
            "$(field "$routing" answers)" "$(field "$routing" retried)" "$(field "$routing" attempts)" \
            "$ejections" "$gave_up" "$(field "$routing" targets)" "$imbalance" >>"$WORK/runs.tsv"
        say "[$run/$total_runs] repeat $repeat, $config (c$conc): $(tail -n 1 "$WORK/runs.tsv" | awk -F '\t' '{
            printf "%.1f req/s, p50 %.1f ms, p99 %.1f ms, failed %d+%d, retried %d, ejections %d, by target %s%s",
                $5 / ($6 / 1000000), $7 / 1000, $9 / 1000, $10, $11, $13, $15, $17,
                ($18 == "-" ? "" : ", queued beside a free worker " $18 "%") }')"
    done
done
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
# The workers go before Redis, so that their logs hold no complaint about Redis leaving first.
stop_server "${worker_pid[@]}"

# ---------------------------------------------------------------------------------------------------------------
# Report

{
    printf '## AiPlatform Gateway routing and resilience benchmark, %s\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    describe_machine
    printf -- '- command: `bench/routing.sh'
    if [ ${#original_args[@]} -gt 0 ]; then printf ' %q' "${original_args[@]}"; fi
    printf -- '` → %s s per run, %s s warm-up per Gateway, %s repeat(s), wrk 2 threads, non-streamed chat, max_tokens %s, a distinct body per request\n' \
        "$duration" "$warmup" "$repeats" "$max_tokens"
    printf -- '- load average (1/5/15 min) at the start of the runs: %s; at the end: %s\n' "$load_start" "$load_end"
    printf -- '- workers (InferenceWorker simulator, %s sequences at once, admission running limit the same): w1, w2, w3 and flaky 20 ms to the first token + 5 ms a token; flaky answers 500 to half its requests; slow 60 ms + 15 ms a token%s\n' \
        "$SEQUENCES" "$([ "$announce" = 1 ] && echo '; all announce their load in Redis every 1 s' || echo '; no announcements (--no-announce)')"
    printf -- '- Gateway: %s build, a fresh one per run (warmed up on w1-w3), keys + rate limits (never refusing), response cache off, usage events off%s\n' \
        "$configuration" "$( (( ${#extra_gateway_env[@]} )) && printf '; extra environment: %s' "${extra_gateway_env[*]}" || true)"
    describe_log_errors Gateways "$WORK"/gateway-*.log
    describe_log_errors workers "$WORK"/w1.log "$WORK"/w2.log "$WORK"/w3.log "$WORK"/flaky.log "$WORK"/slow.log
    printf '\n'
    awk -F '\t' -f "$BENCH_DIR/lib/stats.awk" -f "$BENCH_DIR/lib/routing-report.awk" "$WORK/configs.tsv" "$WORK/runs.tsv"
} >"$WORK/report.md"

if [ -n "$out_dir" ]; then
    mkdir -p "$out_dir"
    cp "$WORK/report.md" "$WORK/runs.tsv" "$WORK/configs.tsv" "$out_dir/"
fi
cat "$WORK/report.md"
