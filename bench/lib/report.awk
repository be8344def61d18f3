# Turns the raw measurements of bench/run.sh into the markdown report: medians over repeats per target and
# concurrency, time to first byte of the streaming variant, the Gateway against a baseline build when one was measured
# (baseline-* rows), and issue 6's targets with met/missed.
# POSIX awk (Debian's default is mawk: no asort, no gensub).
#
# Usage: awk -F '\t' -f stats.awk -f report.awk targets.tsv runs.tsv ttfb.tsv
#   targets.tsv  name  base  state(ok|unavailable)  note              (in the order the table should show)
#   runs.tsv     name  conc  repeat  rps  p50_us  p90_us  p99_us  status_errors  socket_errors  cpu_us  redis_us  rss_mib
#   ttfb.tsv     name  base  seconds  http_code  curl_exit_code        (one line per streamed request)

FNR == 1 { file++ }

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
        x = (metric == "rss") ? rss[key, i] : (metric == "rps") ? rps[key, i] : ""
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
    printf "| target | conc | req/s | p50 ms | p90 ms | p99 ms | added p50 ms | added p99 ms | non-2xx | socket errors | CPU µs/req | Redis CPU µs/req | peak RSS MiB |\n"
    printf "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    for (c = 1; c <= nconcs; c++) {
        conc = concs[c]
        for (t = 1; t <= ntargets; t++) {
            name = order[t]
            if (state[name] != "ok") {
                if (c == 1) printf "| %s | – | unavailable: %s | | | | | | | | | | |\n", name, note[name]
                continue
            }
            key = name SUBSEP conc
            if (!(key in nrep)) { printf "| %s | %s | not measured | | | | | | | | | | |\n", name, conc; continue }
            bkey = base[name] SUBSEP conc
            b50 = (base[name] == name) ? "" : median("p50", bkey)
            b99 = (base[name] == name) ? "" : median("p99", bkey)
            printf "| %s | %s | %s | %s | %s | %s | %s | %s | %d | %d | %s | %s | %s |\n", name, conc,
                plain(median("rps", key), "%.0f"), ms(median("p50", key)), ms(median("p90", key)), ms(median("p99", key)),
                added(median("p50", key), b50), added(median("p99", key), b99), errs[key], sockerrs[key],
                plain(median("cpu", key), "%.0f"), plain(median("redis", key), "%.0f"), plain(median("rss", key), "%.0f")
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

    # Issue 6's targets for this machine, judged on the medians above.
    printf "\n### Targets (issue 6)\n\n| target | measured | verdict |\n| --- | --- | --- |\n"
    gw = "gateway-miss"; hit = "gateway-hit"; nx = "nginx"; pk = "portkey"; dr = "direct"
    k1 = gw SUBSEP 1; d1 = dr SUBSEP 1
    if ((k1 in nrep) && (d1 in nrep)) {
        a50 = (median("p50", k1) - median("p50", d1)) / 1000; a99 = (median("p99", k1) - median("p99", d1)) / 1000
        printf "| c1: added p50 ≤ 0.2 ms | %+.3f ms | %s |\n", a50, verdict(a50 <= 0.2)
        printf "| c1: added p99 ≤ 1 ms | %+.3f ms | %s |\n", a99, verdict(a99 <= 1)
    } else {
        printf "| c1: added p50 ≤ 0.2 ms, p99 ≤ 1 ms | not measured | n/a |\n"
    }
    k16 = gw SUBSEP 16; n16 = nx SUBSEP 16
    if ((k16 in nrep) && (n16 in nrep) && state[nx] == "ok") {
        r = median("rps", k16) / median("rps", n16)
        printf "| c16: throughput ≥ 50%% of nginx | %.0f vs %.0f req/s = %.0f%% | %s |\n", median("rps", k16), median("rps", n16), r * 100, verdict(r >= 0.5)
        gc = median("cpu", k16); nc = median("cpu", n16)
        if (gc != "" && nc != "" && nc > 0) {
            printf "| c16: CPU/request ≤ 3× nginx | %.0f vs %.0f µs = %.1f× | %s |\n", gc, nc, gc / nc, verdict(gc / nc <= 3)
        }
    } else {
        printf "| c16: throughput ≥ 50%% of nginx, CPU ≤ 3× | not measured | n/a |\n"
    }
    for (c = 1; c <= nconcs; c++) {
        conc = concs[c]; hk = hit SUBSEP conc; nk = nx SUBSEP conc
        if ((hk in nrep) && (nk in nrep)) {
            printf "| c%s: cache HIT throughput ≥ nginx | %.0f vs %.0f req/s | %s |\n", conc, median("rps", hk), median("rps", nk), verdict(median("rps", hk) >= median("rps", nk))
        }
    }
    for (c = 1; c <= nconcs; c++) {
        conc = concs[c]; gk = gw SUBSEP conc; pkk = pk SUBSEP conc
        if (!(pk in state)) { if (c == 1) printf "| ≥ 10× Portkey's throughput, lower p99 | not measured | n/a |\n"; continue }
        if (state[pk] != "ok") { if (c == 1) printf "| ≥ 10× Portkey's throughput, lower p99 | Portkey unavailable: %s | n/a |\n", note[pk]; continue }
        if ((gk in nrep) && (pkk in nrep)) {
            x = median("rps", gk) / median("rps", pkk)
            printf "| c%s: ≥ 10× Portkey's throughput | %.0f vs %.0f req/s = %.1f× | %s |\n", conc, median("rps", gk), median("rps", pkk), x, verdict(x >= 10)
            printf "| c%s: p99 lower than Portkey's | %s vs %s ms | %s |\n", conc, ms(median("p99", gk)), ms(median("p99", pkk)), verdict(median("p99", gk) < median("p99", pkk))
        }
    }
    k64 = gw SUBSEP 64
    if (k64 in nrep) {
        m = maxof("rss", k64)
        if (m == "") printf "| RSS ≤ 200 MB after c64 | not read | n/a |\n"
        else printf "| RSS ≤ 200 MB after c64 | peak %.0f MiB during c64 (max of repeats) | %s |\n", m, verdict(m * 1.048576 <= 200)
    } else {
        printf "| RSS ≤ 200 MB after c64 | not measured | n/a |\n"
    }
    total = 0; measured = 0
    for (k in errs) {
        split(k, parts, SUBSEP)
        if (parts[1] ~ /^gateway/) { total += errs[k] + sockerrs[k]; measured = 1 }
    }
    for (name in ttfbn) {
        if (name ~ /^gateway/) { total += ttfbbad[name]; measured = 1 }
    }
    if (measured) printf "| no error responses (Gateway, every run, streamed ones included) | %d | %s |\n", total, verdict(total == 0)
}
