# Functions shared by the benchmarks' report scripts (report.awk, routing-report.awk); load it first:
#   awk -f stats.awk -f report.awk …
# POSIX awk (Debian's default is mawk: no asort, no gensub).

# Sorts v[1..n] in place (insertion sort: n is small): numbers numerically, names as strings.
function sortn(v, n,    i, j, x) {
    for (i = 2; i <= n; i++) {
        x = v[i]
        for (j = i - 1; j >= 1 && v[j] > x; j--) { v[j + 1] = v[j] }
        v[j + 1] = x
    }
}

# Microseconds as milliseconds with three decimals; "–" for no value.
function ms(us) { return us == "" ? "–" : sprintf("%.3f", us / 1000) }
