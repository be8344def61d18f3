# Sourced by bench/run.sh and bench/routing.sh: messages, prerequisites, and the processes a benchmark starts.
#
# Every server is started by start_server, recorded by PID, and stopped by cleanup (EXIT, INT, TERM) or stop_server.
# setpriv --pdeathsig makes a server go too when the script is killed without a chance to clean up.
#
# The caller sets BENCH_TAG (the prefix of its messages) before sourcing, and `keep` (1: keep $WORK and the folders
# given to remove_on_exit) before it exits.

BENCH_TAG="${BENCH_TAG:-bench}"

say() { printf '[%s] %s\n' "$BENCH_TAG" "$*" >&2; }
die() { printf '[%s] error: %s\n' "$BENCH_TAG" "$*" >&2; exit 1; }

# install_missing COMMAND=PACKAGE… : apt-get installs the packages whose command is neither on PATH nor in /usr/sbin
# (where Debian puts nginx, outside a normal user's PATH). A COMMAND that starts with '/' is a path pattern instead
# (e.g. /usr/lib/postgresql/*/bin/initdb, which is on no PATH), missing when nothing matches it.
install_missing() {
    local missing=() pair command
    for pair in "$@"; do
        command="${pair%%=*}"
        if [[ "$command" == /* ]]; then
            compgen -G "$command" >/dev/null || missing+=("${pair#*=}")
        else
            command -v "$command" >/dev/null || [ -x "/usr/sbin/$command" ] || missing+=("${pair#*=}")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "missing ${missing[*]}; install them as root: apt-get install -y ${missing[*]}"
        sudo=(sudo)
    fi
    say "installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    # Debian registers nginx, redis and postgresql as services; nothing here uses those instances (no init system runs
    # them, and the benchmarks start their own on free ports).
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

server_pids=()
declare -A server_name=()
# The signal that stops a server when it is not TERM (Postgres: INT, its fast shutdown; TERM would wait for every client).
declare -A server_signal=()
child_pid=""
remove_dirs=()

# remove_on_exit DIR : deletes DIR with $WORK on exit (unless keep is 1), after the servers stopped: for a folder that
# cannot live in $WORK, such as a Postgres cluster the postgres user must reach.
remove_on_exit() { remove_dirs+=("$1"); }

# init_work NAME : creates the temporary folder $WORK (aiplatform-NAME.XXXXXX) and installs the traps that stop
# everything on exit.
init_work() {
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/aiplatform-$1.XXXXXX")"
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# stop_pids PID… : TERM (or the server's own signal), then KILL for those still there after 5 s.
stop_pids() {
    local pid
    for pid in "$@"; do kill -"${server_signal[$pid]:-TERM}" "$pid" 2>/dev/null || true; done
    for pid in "$@"; do
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            say "${server_name[$pid]:-pid $pid} did not stop within 5 s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    [ -n "$child_pid" ] && kill -TERM "$child_pid" 2>/dev/null || true
    stop_pids "${server_pids[@]}"
    if [ "${keep:-0}" = 1 ]; then
        say "kept $WORK${remove_dirs[0]:+ and ${remove_dirs[*]}}"
    else
        rm -rf "$WORK" "${remove_dirs[@]}"
    fi
    exit "$status"
}

# start_server NAME DIR CMD… : runs CMD in DIR with its output in $WORK/NAME.log; sets LAST_PID. CMD may change its user
# (setpriv --reuid), which clears the parent-death signal: it then sets --pdeathsig again itself (see start_postgres).
start_server() {
    local name="$1" dir="$2"; shift 2
    (cd "$dir" && exec setpriv --pdeathsig TERM -- "$@") >"$WORK/$name.log" 2>&1 &
    LAST_PID=$!
    server_pids+=("$LAST_PID")
    server_name[$LAST_PID]="$name"
}

# stop_server PID… : stops servers started by start_server, before the others (cleanup stops all at once), and forgets them.
stop_server() {
    stop_pids "$@"
    local kept=() pid
    for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
    for pid in "${server_pids[@]}"; do [[ " $* " == *" $pid "* ]] || kept+=("$pid"); done
    server_pids=("${kept[@]}")
}

# Runs a command in the background and waits for it, so that INT/TERM are handled at once.
run_child() {
    "$@" &
    child_pid=$!
    local status=0
    wait "$child_pid" || status=$?
    child_pid=""
    return "$status"
}

declare -A used_ports=()
# Sets PORT to a port below Linux's ephemeral range (32768+) that nothing listens on and this run has not handed out.
free_port() {
    local port
    for _ in $(seq 1 500); do
        port=$((20000 + RANDOM % 12000))
        [ -n "${used_ports[$port]:-}" ] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            used_ports[$port]=1
            PORT=$port
            return
        fi
    done
    die "no free port found"
}

# wait_http NAME PID URL SECONDS : waits until URL answers 2xx, or fails with the server's log.
wait_http() {
    local name="$1" pid="$2" url="$3" seconds="$4"
    local deadline=$((SECONDS + seconds))
    while [ $SECONDS -lt $deadline ]; do
        kill -0 "$pid" 2>/dev/null || { tail -n 30 "$WORK/$name.log" >&2; die "$name exited during start"; }
        curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
        sleep 0.2
    done
    tail -n 30 "$WORK/$name.log" >&2
    die "$name did not answer $url within $seconds s"
}

# wait_port PID PORT SECONDS : waits until something listens on PORT; fails when PID exits or time runs out.
wait_port() {
    local pid="$1" port="$2" seconds="$3"
    local deadline=$((SECONDS + seconds))
    while [ $SECONDS -lt $deadline ]; do
        kill -0 "$pid" 2>/dev/null || return 1
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
        sleep 0.2
    done
    return 1
}
