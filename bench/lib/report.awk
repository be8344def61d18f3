# Turns the raw measurements of bench/run.sh into the markdown report: medians over repeats per target and
# concurrency, time to first byte of the streaming variant, the Gateway against a baseline build when one was measured
# (baseline-* rows), the soak, the ledger check, and issue 13's targets with met/missed.
# POSIX awk (Debian's default is mawk: no asort, no gensub).
#
# Usage: awk -F '\t' [-v NAME=VALUE…] -f stats.awk -f report.awk targets.tsv runs.tsv ttfb.tsv soak.tsv
#   targets.tsv  name  base  state(ok|unavailable)  note              (in the order the table should show)
#   runs.tsv     name  conc  repeat  rps  p50_us  p90_us  p99_us  status_errors  socket_errors  cpu_us  redis_us  rss_mib
#                usageapi_us  postgres_us  platform_us                 (CPU per request; "-" where not charged)
#                rss_after_mib                                        (VmRSS right after the run)
#   ttfb.tsv     name  base  seconds  http_code  curl_exit_code        (one line per streamed request)
#   soak.tsv     minute  rss_mib  rps  p99_us  errors  anon_mib  file_mib  shmem_mib   (minute 0: before the soak; then every 30 s)
# Variables: usage (1: usage events on), soak_minutes (0: no soak), soak_note (why there was none), ledger_state
# (ok, failed or off), ledger_records, ledger_2xx, produced, parked, dropped, client_2xx, ledger_wait (seconds).

# Which file this line is from, by its place among the arguments: an empty file has no first line to count.
FNR == 1 { for (i = 1; i < ARGC; i++) if (ARGV[i] == FILENAME) file = i }

file == 1 {
    ntargets++
    order[ntargets] = $1; base[$1] = $2; state[$1] = $3; note[$1] = $4
    next
}

file == 2 {
    key = $1 SUBSEP $2
    if (!(key in nrep)) { nrep[key] = 0 }
    i = ++nrep[key]
    rps[key, i] = $4; p50[key, i] = $5; p90[key, i] = $6; p99[key, i] = $7
    errs[key] += $8; sockerrs[key] += $9
    cpu[key, i] = $10; redis[key, i] = $11; rss[key, i] = $12
    usageapi[key, i] = $13; postgres[key, i] = $14; platform[key, i] = $15; rssafter[key, i] = $16
    if (!($2 in seenconc)) { seenconc[$2] = 1; concs[++nconcs] = $2 }
    next
}

file == 3 {
    n = ++ttfbn[$1]
    ttfb[$1, n] = $3 * 1000
    if ($4 != 200 || $5 != 0) { ttfbbad[$1]++ }
    if (!($1 in ttfbbase)) { ttfbbase[$1] = $2; ttfborder[++nttfb] = $1 }
    next
}

file == 4 {
    nsoak++
    soakmin[nsoak] = $1; soakrss[nsoak] = $2; soakrps[nsoak] = $3; soakp99[nsoak] = $4; soakerr[nsoak] = $5
    soakanon[nsoak] = $6; soakfile[nsoak] = $7; soakshmem[nsoak] = $8
    next
}

# Median over the repeats of one metric; "" when a repeat has no value (e.g. "-").
function median(metric, key,    v, n, i) {
    n = nrep[key]
    for (i = 1; i <= n; i++) {
        if (metric == "rps") v[i] = rps[key, i]
        else if (metric == "p50") v[i] = p50[key, i]
        else if (metric == "p90") v[i] = p90[key, i]
        else if (metric == "p99") v[i] = p99[key, i]
        else if (metric == "cpu") v[i] = cpu[key, i]
        else if (metric == "redis") v[i] = redis[key, i]
        else if (metric == "rss") v[i] = rss[key, i]
        else if (metric == "rssafter") v[i] = rssafter[key, i]
        else if (metric == "usageapi") v[i] = usageapi[key, i]
        else if (metric == "postgres") v[i] = postgres[key, i]
        else if (metric == "platform") v[i] = platform[key, i]
        if (v[i] == "-" || v[i] == "") return ""
        v[i] += 0
    }
    if (n == 0) return ""
    sortn(v, n)
    return (n % 2 == 1) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}

function maxof(metric, key,    n, i, m, x) {
    n = nrep[key]; m = ""
    for (i = 1; i <= n; i++) {
        x = (metric == "rss") ? rss[key, i] : (metric == "rssafter") ? rssafter[key, i] : (metric == "rps") ? rps[key, i] : ""
        if (x == "-" || x == "") continue
        if (m == "" || x + 0 > m) m = x + 0
    }
    return m
}

function minof(metric, key,    n, i, m, x) {
    n = nrep[key]; m = ""
    for (i = 1; i <= n; i++) {
        x = (metric == "rps") ? rps[key, i] : ""
        if (x == "-" || x == "") continue
        if (m == "" || x + 0 < m) m = x + 0
    }
    return m
}

# Nearest-rank percentile of the TTFB samples of one target, in ms.
function ttfbpct(name, p,    v, n, i, rank) {
    n = ttfbn[name]
    if (n == 0) return ""
    for (i = 1; i <= n; i++) v[i] = ttfb[name, i]
    sortn(v, n)
    rank = int((p / 100) * n + 0.999999)
    if (rank < 1) rank = 1
    return v[rank]
}

function plain(x, fmt) { return x == "" ? "–" : sprintf(fmt, x) }
function added(x, y) { return (x == "" || y == "") ? "–" : sprintf("%+.3f", (x - y) / 1000) }
function addedms(x, y) { return (x == "" || y == "") ? "–" : sprintf("%+.3f", x - y) }
function verdict(ok) { return ok ? "**met**" : "**missed**" }

END {
    printf "### Throughput and latency (wrk, medians of the repeats; errors summed over all repeats)\n\n"
    printf "| target | conc | req/s | p50 ms | p90 ms | p99 ms | added p50 ms | added p99 ms | non-2xx | socket errors | CPU µs/req | Redis CPU µs/req | peak RSS MiB | RSS after MiB | UsageApi CPU µs/req | Postgres CPU µs/req | platform CPU µs/req |\n"
    printf "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    for (c = 1; c <= nconcs; c++) {
        conc = concs[c]
        for (t = 1; t <= ntargets; t++) {
            name = order[t]
            if (state[name] != "ok") {
                if (c == 1) printf "| %s | – | unavailable: %s | | | | | | | | | | | | | | |\n", name, note[name]
                continue
            }
            key = name SUBSEP conc
            if (!(key in nrep)) { printf "| %s | %s | not measured | | | | | | | | | | | | | | |\n", name, conc; continue }
            bkey = base[name] SUBSEP conc
            b50 = (base[name] == name) ? "" : median("p50", bkey)
            b99 = (base[name] == name) ? "" : median("p99", bkey)
            printf "| %s | %s | %s | %s | %s | %s | %s | %s | %d | %d | %s | %s | %s | %s | %s | %s | %s |\n", name, conc,
                plain(median("rps", key), "%.0f"), ms(median("p50", key)), ms(median("p90", key)), ms(median("p99", key)),
                added(median("p50", key), b50), added(median("p99", key), b99), errs[key], sockerrs[key],
                plain(median("cpu", key), "%.0f"), plain(median("redis", key), "%.0f"), plain(median("rss", key), "%.0f"),
                plain(median("rssafter", key), "%.0f"), plain(median("usageapi", key), "%.0f"), plain(median("postgres", key), "%.0f"), plain(median("platform", key), "%.0f")
        }
    }

    if (nttfb > 0) {
        printf "\n### Time to first byte, streamed answer (curl time_starttransfer, concurrency 1, warm keep-alive connection)\n\n"
        printf "| target | samples | p50 ms | p90 ms | p99 ms | added p50 ms | added p99 ms | failed (non-200 or cut) |\n"
        printf "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
        for (t = 1; t <= nttfb; t++) {
            name = ttfborder[t]; b = ttfbbase[name]
            printf "| %s | %d | %s | %s | %s | %s | %s | %d |\n", name, ttfbn[name],
                plain(ttfbpct(name, 50), "%.3f"), plain(ttfbpct(name, 90), "%.3f"), plain(ttfbpct(name, 99), "%.3f"),
                (b == name) ? "–" : addedms(ttfbpct(name, 50), ttfbpct(b, 50)),
                (b == name) ? "–" : addedms(ttfbpct(name, 99), ttfbpct(b, 99)), ttfbbad[name]
        }
    }

    # The Gateway under test against the baseline build, pair by pair (gateway-X and baseline-X, measured one after the
    # other in each round). The spread between repeats is the noise: throughputs whose ranges overlap are not told
    # apart; the per-round ratio pairs the runs of one round, which saw the same neighbours.
    npairs = 0
    for (t = 1; t <= ntargets; t++) {
        if (order[t] !~ /^baseline-/) continue
        new = "gateway-" substr(order[t], 10)
        if ((new in state) && state[new] == "ok" && state[order[t]] == "ok") { pairnew[++npairs] = new; pairold[npairs] = order[t] }
    }
    if (npairs > 0) {
        printf "\n### Gateway under test against the baseline build (same rounds; req/s median and min–max over the repeats)\n\n"
        printf "| pair | conc | req/s new | req/s baseline | new / baseline | per-round new / baseline | added p50 ms new / baseline | added p99 ms new / baseline | CPU µs/req new / baseline | reading |\n"
        printf "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n"
        for (c = 1; c <= nconcs; c++) {
            conc = concs[c]
            for (p = 1; p <= npairs; p++) {
                nk = pairnew[p] SUBSEP conc; ok = pairold[p] SUBSEP conc; dk = base[pairnew[p]] SUBSEP conc
                if (!(nk in nrep) || !(ok in nrep)) continue
                rmin = ""; rmax = ""
                for (i = 1; i <= nrep[nk] && i <= nrep[ok]; i++) {
                    if (rps[ok, i] + 0 <= 0) continue
                    x = rps[nk, i] / rps[ok, i]
                    if (rmin == "" || x < rmin) rmin = x
                    if (rmax == "" || x > rmax) rmax = x
                }
                if (nrep[nk] < 2 || nrep[ok] < 2) reading = "one repeat: no spread to judge by"
                else if (maxof("rps", nk) < minof("rps", ok)) reading = "**lower beyond noise** (ranges apart)"
                else if (minof("rps", nk) > maxof("rps", ok)) reading = "higher beyond noise (ranges apart)"
                else reading = "within noise (ranges overlap)"
                printf "| %s | %s | %.0f (%.0f–%.0f) | %.0f (%.0f–%.0f) | %.2f | %s | %s / %s | %s / %s | %s / %s | %s |\n",
                    substr(pairnew[p], 9), conc,
                    median("rps", nk), minof("rps", nk), maxof("rps", nk), median("rps", ok), minof("rps", ok), maxof("rps", ok),
                    median("rps", nk) / median("rps", ok), (rmin == "") ? "–" : sprintf("%.2f–%.2f", rmin, rmax),
                    added(median("p50", nk), median("p50", dk)), added(median("p50", ok), median("p50", dk)),
                    added(median("p99", nk), median("p99", dk)), added(median("p99", ok), median("p99", dk)),
                    plain(median("cpu", nk), "%.0f"), plain(median("cpu", ok), "%.0f"), reading
            }
        }
    }

    if (nsoak > 0) {
        printf "\n### Soak (gateway-miss, concurrency 64, %s min; the Gateway's VmRSS after each 30-s slice)\n\n", soak_minutes
        printf "| minute | RSS MiB | of it anonymous (GC heap, native) | mapped files | JIT code (shared) | req/s | p99 ms | errors |\n"
        printf "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
        for (i = 1; i <= nsoak; i++) {
            printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", soakmin[i], soakrss[i], soakanon[i], soakfile[i], soakshmem[i],
                (soakrps[i] == "-" ? "–" : sprintf("%.0f", soakrps[i])), (soakp99[i] == "-" ? "–" : ms(soakp99[i])),
                (soakrps[i] == "-" ? "–" : soakerr[i])
        }
    }

    if (ledger_state != "off") {
        printf "\n### Ledger\n\n"
        printf "- ledger: %s records in Postgres (%s with a 2xx status) for %s usage events the Gateway%s produced (parked in Redis %s, dropped %s), and %s 2xx answers the clients counted; %s\n",
            (ledger_records == "" ? "?" : ledger_records), (ledger_2xx == "" ? "?" : ledger_2xx), (produced == "" ? "?" : produced),
            (("baseline-miss" in state) || ("baseline-hit" in state)) ? "s" : "", parked, dropped, client_2xx,
            (ledger_state != "ok") ? sprintf("still short %s s after the last request", ledger_wait) \
                : (ledger_wait + 0 < 1) ? "all there when the runs ended" : sprintf("all there within %s s of the last request", ledger_wait)
    }

    # Issue 13's targets for this machine, judged on the medians above.
    printf "\n### Targets (issue 13)\n\n| target | measured | verdict |\n| --- | --- | --- |\n"
    gw = "gateway-miss"; hit = "gateway-hit"; nx = "nginx"; dr = "direct"
    nxok = (nx in state) && state[nx] == "ok"

    # MISS throughput at c16 and c64 against the nginx proxy's.
    split("16 64", tc, " ")
    for (j = 1; j <= 2; j++) {
        gk = gw SUBSEP tc[j]; nk = nx SUBSEP tc[j]
        if ((gk in nrep) && (nk in nrep) && nxok && median("rps", nk) > 0) {
            r = median("rps", gk) / median("rps", nk)
            printf "| c%s: MISS throughput ≥ 50%% of nginx | %.0f vs %.0f req/s = %.0f%% | %s |\n", tc[j], median("rps", gk), median("rps", nk), r * 100, verdict(r >= 0.5)
        } else {
            printf "| c%s: MISS throughput ≥ 50%% of nginx | not measured | n/a |\n", tc[j]
        }
    }

    # Added latency at c1: p50 against direct, p99 against nginx's own added p99.
    k1 = gw SUBSEP 1; d1 = dr SUBSEP 1; n1 = nx SUBSEP 1
    if ((k1 in nrep) && (d1 in nrep)) {
        a50 = (median("p50", k1) - median("p50", d1)) / 1000
        printf "| c1: added p50 ≤ 0.15 ms | %+.3f ms | %s |\n", a50, verdict(a50 <= 0.15)
    } else {
        printf "| c1: added p50 ≤ 0.15 ms | not measured | n/a |\n"
    }
    if ((k1 in nrep) && (d1 in nrep) && (n1 in nrep) && nxok) {
        a99 = (median("p99", k1) - median("p99", d1)) / 1000; n99 = (median("p99", n1) - median("p99", d1)) / 1000
        printf "| c1: added p99 ≤ nginx's added p99 + 0.5 ms | %+.3f vs %+.3f ms (limit %+.3f) | %s |\n", a99, n99, n99 + 0.5, verdict(a99 <= n99 + 0.5)
    } else {
        printf "| c1: added p99 ≤ nginx's added p99 + 0.5 ms | not measured | n/a |\n"
    }

    # CPU per MISS request at c16, the Gateway's process against nginx's; the whole platform's beside it.
    k16 = gw SUBSEP 16; n16 = nx SUBSEP 16
    gc = (k16 in nrep) ? median("cpu", k16) : ""; nc = (n16 in nrep && nxok) ? median("cpu", n16) : ""
    if (gc != "" && nc != "" && nc > 0) {
        pc = median("platform", k16)
        printf "| c16: Gateway CPU per MISS request ≤ 2× nginx | %.0f vs %.0f µs = %.1f×; platform %s µs/req (Gateway %.0f + Redis %s + UsageApi %s + Postgres %s) = %s× nginx | %s |\n",
            gc, nc, gc / nc, plain(pc, "%.0f"), gc, plain(median("redis", k16), "%.0f"), plain(median("usageapi", k16), "%.0f"),
            plain(median("postgres", k16), "%.0f"), (pc == "") ? "–" : sprintf("%.1f", pc / nc), verdict(gc / nc <= 2)
    } else {
        printf "| c16: Gateway CPU per MISS request ≤ 2× nginx | not measured | n/a |\n"
    }
    # Not a target: how much of it is the framework's (Kestrel and YARP alone) and how much the Gateway's own work.
    b16 = "bare-proxy" SUBSEP 16
    if (gc != "" && (b16 in nrep) && state["bare-proxy"] == "ok" && median("cpu", b16) > 0) {
        bc = median("cpu", b16)
        printf "| (not judged) c16: Kestrel and YARP alone, the floor under the Gateway | %.0f µs/req = %s× nginx, %.0f req/s; the Gateway's own work %.0f µs/req above it | – |\n",
            bc, (nc != "" && nc > 0) ? sprintf("%.1f", bc / nc) : "–", median("rps", b16), gc - bc
    }

    # Cache HITs against the nginx proxy at every concurrency measured.
    hits = 0
    for (c = 1; c <= nconcs; c++) {
        conc = concs[c]; hk = hit SUBSEP conc; nk = nx SUBSEP conc
        if ((hk in nrep) && (nk in nrep) && nxok) {
            hits++
            printf "| c%s: cache HIT throughput ≥ nginx | %.0f vs %.0f req/s = %.0f%% | %s |\n", conc, median("rps", hk), median("rps", nk),
                (median("rps", nk) > 0) ? 100 * median("rps", hk) / median("rps", nk) : 0, verdict(median("rps", hk) >= median("rps", nk))
        }
    }
    if (hits == 0) printf "| cache HIT throughput ≥ nginx at every concurrency | not measured | n/a |\n"

    # Streamed time to first byte, added at p50 against direct.
    if ((gw in ttfbn) && (dr in ttfbn)) {
        t50 = ttfbpct(gw, 50) - ttfbpct(dr, 50)
        printf "| streamed time to first byte: added p50 ≤ 0.1 ms | %+.3f ms (%.3f vs %.3f ms, %d and %d samples) | %s |\n",
            t50, ttfbpct(gw, 50), ttfbpct(dr, 50), ttfbn[gw], ttfbn[dr], verdict(t50 <= 0.1)
    } else {
        printf "| streamed time to first byte: added p50 ≤ 0.1 ms | not measured | n/a |\n"
    }

    # The Gateway's RSS after its c64 runs, as the target says (it is one process whichever of its rows ran), its peak
    # during them beside it.
    m = ""; pk = ""; any64 = 0
    for (t = 1; t <= ntargets; t++) {
        k = order[t] SUBSEP 64
        if (order[t] !~ /^gateway-/ || !(k in nrep)) continue
        any64 = 1; x = maxof("rssafter", k); y = maxof("rss", k)
        if (x != "" && (m == "" || x > m)) m = x
        if (y != "" && (pk == "" || y > pk)) pk = y
    }
    if (!any64 || m == "") printf "| Gateway RSS after the c64 runs ≤ 200 MB | not measured | n/a |\n"
    else printf "| Gateway RSS after the c64 runs ≤ 200 MB | %.0f MiB = %.0f MB after (max over the c64 runs); peak during them %s | %s |\n",
        m, m * 1.048576, (pk == "") ? "not read (no /proc/PID/clear_refs)" : sprintf("%.0f MiB = %.0f MB", pk, pk * 1.048576), verdict(m * 1.048576 <= 200)

    # No error responses from a Gateway, in any run, streamed ones and the soak included.
    total = 0; measured = 0
    for (k in errs) {
        split(k, parts, SUBSEP)
        if (parts[1] ~ /^(gateway|baseline)-/) { total += errs[k] + sockerrs[k]; measured = 1 }
    }
    for (name in ttfbn) {
        if (name ~ /^(gateway|baseline)-/) { total += ttfbbad[name]; measured = 1 }
    }
    for (i = 1; i <= nsoak; i++) { if (soakrps[i] != "-") { total += soakerr[i]; measured = 1 } }
    if (measured) printf "| no error responses (Gateway, every run, streamed ones and the soak included) | %d | %s |\n", total, verdict(total == 0)
    else printf "| no error responses | not measured | n/a |\n"

    # Soak: the RSS in its last third against the RSS at the end of its first third.
    if (nsoak > 1) {
        third = soak_minutes / 3
        ri = 2; li = 0
        for (i = 2; i <= nsoak; i++) { if (soakmin[i] + 0 <= third + 1e-9) ri = i }
        for (i = 2; i <= nsoak; i++) { if (soakmin[i] + 0 > 2 * third + 1e-9 && (li == 0 || soakrss[i] + 0 > soakrss[li] + 0)) li = i }
        if (li == 0) li = nsoak
        ref = soakrss[ri] + 0; last = soakrss[li] + 0
        allowed = ref * 0.1; if (allowed < 20) allowed = 20
        printf "| no growth over the soak (%s min): last third ≤ first third's end + max(10%%, 20 MiB) | %.0f MiB at most in the last third vs %.0f MiB (limit %.0f); of it anonymous %.0f → %.0f, mapped files %.0f → %.0f, JIT code %.0f → %.0f MiB | %s |\n",
            soak_minutes, last, ref, ref + allowed, soakanon[ri], soakanon[li], soakfile[ri], soakfile[li], soakshmem[ri], soakshmem[li],
            verdict(last <= ref + allowed)
    } else {
        printf "| no growth over the soak | %s | n/a |\n", (soak_note != "") ? "not measured: " soak_note : "not measured (run with --soak)"
    }

    # The ledger: every usage event the Gateways produced is a record, none dropped, no fewer 2xx than the clients saw.
    if (ledger_state == "off") {
        printf "| every request the Gateway answered is in the ledger | not measured (--no-usage) | n/a |\n"
    } else if (produced == "" || ledger_records == "") {
        printf "| every request the Gateway answered is in the ledger | not read (%s) | **missed** |\n",
            produced == "" ? "no usage counter on the Gateway's /metrics" : "no answer from Postgres"
    } else {
        ok = (ledger_records + 0 == produced + 0) && (dropped + 0 == 0) && (ledger_2xx + 0 >= client_2xx + 0)
        printf "| every request the Gateway answered is in the ledger | %d records for %d events produced (%d dropped); %d 2xx records ≥ %d 2xx answers counted | %s |\n",
            ledger_records, produced, dropped, ledger_2xx, client_2xx, verdict(ok)
    }
}
