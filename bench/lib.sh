# Helpers of the benchmark's scripts (bench/run.sh, bench/pictures.sh): messages, timing a
# command, medians and ratios, and moving old outputs aside. Sourced, not run.
#
# discard moves paths into $TRASH (set by the script that sources this), which that
# script deletes when it ends: see run.sh for why outputs are not deleted at once.

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
warn() { printf '\033[33mwarning:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

discard() {
    local p
    mkdir -p "$TRASH"
    for p in "$@"; do
        if [ -e "$p" ]; then mv "$p" "$TRASH/$(date +%s%N)-$RANDOM"; fi
    done
}

# measure LOG CMD...: runs CMD under /usr/bin/time -v, output to LOG; sets WALL (seconds,
# from the clock around the command), CPU (user + system seconds) and RSS (peak resident
# set, KiB). Fails on CMD failure. The disk is synced first, outside the timing, so that no
# build pays for writing back the output of the one before (the other tool's, often).
measure() {
    local log="$1"; shift
    local tv="$log.time" t0 t1 rc=0
    sync
    t0=$(date +%s%N)
    /usr/bin/time -v -o "$tv" "$@" >"$log" 2>&1 || rc=$?
    t1=$(date +%s%N)
    if [ "$rc" != 0 ]; then
        printf '\033[31merror:\033[0m `%s` failed (exit %s); its output (%s):\n' "$*" "$rc" "$log" >&2
        head -n 60 "$log" >&2
        return 1
    fi
    WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    RSS=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tv")
    CPU=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "$tv")
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
maxof() { tr ' ' '\n' | grep -v '^$' | sort -g | tail -n1; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.'"${3:-2}"'f", a / b; else print "–" }'; }
