# Turns the raw measurements of bench/routing.sh into its markdown tables: per configuration, medians over the repeats of
# throughput and latency, and sums over the repeats of failures, retries, ejections and answers per target.
# POSIX awk (Debian's default is mawk: no asort, no gensub); needs stats.awk.
#
# Usage: awk -F '\t' -f stats.awk -f routing-report.awk configs.tsv runs.tsv
#   configs.tsv  part  name  label  targets                            (in the order the tables should show)
#   runs.tsv     part  name  repeat  conc  requests  duration_us  p50_us  p90_us  p99_us  status_errors  socket_errors
#                answers  retried  attempts  ejections  gave_up  targets(name:count,…)  queued_beside_free(% or -)

FNR == 1 { file++ }

file == 1 {
    n = ++nconfigs[$1]
    config[$1, n] = $2; label[$2] = $3
    next
}

file == 2 {
    i = ++nrep[$2]
    rps[$2, i] = $5 / ($6 / 1000000); p50[$2, i] = $7; p99[$2, i] = $9; imb[$2, i] = $18
    conc[$1] = $4
    requests[$2] += $5; failed[$2] += $10 + $11
    answers[$2] += $12; retried[$2] += $13; ejections[$2] += $15
    split($17, pairs, ",")
    for (p in pairs) {
        if (split(pairs[p], kv, ":") == 2) { served[$2, kv[1]] += kv[2]; servedall[$2] += kv[2]; seen[$2, kv[1]] = 1; names[kv[1]] = 1 }
    }
    next
}

# Median over the repeats of one metric of a configuration; "" when a repeat has no value ("-").
function median(metric, name,    v, n, i) {
    n = nrep[name]
    for (i = 1; i <= n; i++) {
        v[i] = (metric == "rps") ? rps[name, i] : (metric == "p50") ? p50[name, i] : (metric == "p99") ? p99[name, i] : imb[name, i]
        if (v[i] == "-" || v[i] == "") return ""
        v[i] += 0
    }
    sortn(v, n)
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}

function pct(x, total) { return total > 0 ? sprintf("%.1f%%", 100 * x / total) : "–" }

# "w1 40% · w2 40% · slow 20%": the share of the configuration's successful answers each target served.
function byTarget(name,    out, t, sorted, n, i) {
    n = 0
    for (t in names) { if ((name, t) in seen) sorted[++n] = t }
    sortn(sorted, n)
    out = ""
    for (i = 1; i <= n; i++) { out = out (i > 1 ? " · " : "") sorted[i] " " sprintf("%.0f%%", 100 * served[name, sorted[i]] / servedall[name]) }
    return out == "" ? "–" : out
}

END {
    if (nconfigs["failing"] > 0) {
        printf "### Failing worker: one of three answers 500 to half its requests (concurrency %s)\n\n", conc["failing"]
        print "Medians over the repeats; failed requests, retried answers, ejections and answers per target summed over them."
        print "Failed: non-2xx answers and socket errors. Retried: answers that took more than one attempt (`aig-attempts`)."
        print "Ejections: the Gateway's `Target … ejected` warnings (event 9002); each run has a fresh Gateway.\n"
        print "| configuration | req/s | p50 ms | p99 ms | failed | failed % | answers retried | ejections | answers by target |"
        print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
        for (i = 1; i <= nconfigs["failing"]; i++) {
            name = config["failing", i]
            if (!(name in nrep)) continue
            printf "| %s | %.0f | %s | %s | %d | %s | %d (%s) | %d | %s |\n", label[name], median("rps", name),
                ms(median("p50", name)), ms(median("p99", name)), failed[name], pct(failed[name], requests[name]),
                retried[name], pct(retried[name], answers[name]), ejections[name], byTarget(name)
        }
        print ""
    }
    if (nconfigs["skewed"] > 0) {
        printf "### Skewed load: w1 and w2 fast, slow three times slower; strategies compared (concurrency %s)\n\n", conc["skewed"]
        print "Medians over the repeats; failed requests and answers per target summed over them. The workers' nominal capacities"
        print "are ~84, ~84 and ~28 answers/s: a strategy that follows them serves about w1 43% · w2 43% · slow 14%."
        print "\"+ announced load\": the Gateway also reads the load the workers announce in Redis (queue, then its own count)."
        print "Queued beside a free worker: the share of 0.2 s samples of the workers' /metrics in which requests waited at one"
        print "worker while another had a free sequence and no queue, i.e. waiting the routing caused.\n"
        print "| strategy | req/s | p50 ms | p99 ms | failed | queued beside a free worker | answers by target |"
        print "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
        for (i = 1; i <= nconfigs["skewed"]; i++) {
            name = config["skewed", i]
            if (!(name in nrep)) continue
            x = median("imb", name)
            printf "| %s | %.0f | %s | %s | %d | %s | %s |\n", label[name], median("rps", name),
                ms(median("p50", name)), ms(median("p99", name)), failed[name], (x == "" ? "–" : x "%"), byTarget(name)
        }
        print ""
    }
}
