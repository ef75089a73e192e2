#!/usr/bin/env bash
# Vetrina benchmark: the demo site plus N generated stories in it/en/fr/ar, built by
# Vetrina and — where Debian's hugo can be had — by Hugo with equivalent templates.
#
#   bash bench/run.sh
#
# Settings (environment):
#   BENCH_SIZES   story counts to measure            (default "1000 10000")
#   BENCH_RUNS    full builds per size per tool      (default 5 below 5000 stories, else 3)
#   BENCH_SEED    corpus seed                        (default 1)
#   BENCH_DIR     where corpora and outputs go       (default /tmp/vetrina-bench)
#   BENCH_NOW     the build date given to Vetrina    (default 2026-11-25)
#   BENCH_HUGO    0 to skip Hugo                     (default 1)
#   BENCH_OUT     the results file                   (default bench/results/latest.md)
#   BENCH_COMPILE 1 to time the README's first compile: `cargo build --release` of a fresh
#                 clone into an empty target folder (sources already downloaded) (default 1)
#   BENCH_SERVE   story count for `vetrina serve` (bench/serve.sh: edit latency, memory, load;
#                 0 to skip)                         (default: the largest of BENCH_SIZES)
#   BENCH_PICTURES 0 to skip the second corpus (bench/pictures.sh: other text lengths and a
#                 picture in every story; BENCH_PICTURE_SIZES, default "1000")  (default 1)
#   BENCH_PAGEFIND 1 to also time Pagefind's own CLI (BENCH_PAGEFIND_VERSION, default 1.6.0,
#                 the one Vetrina used before it built its own index; `cargo install` into
#                 BENCH_DIR once) on Vetrina's output: what that index alone would cost.
#                 Pagefind sees no data-pagefind-body there and reads whole pages (default 0)
#
# Prints a table and writes it, with the machine's description, to bench/results/latest.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
SIZES="${BENCH_SIZES:-1000 10000}"
SEED="${BENCH_SEED:-1}"
WORK="${BENCH_DIR:-/tmp/vetrina-bench}"
NOW="${BENCH_NOW:-2026-11-25}"
WANT_HUGO="${BENCH_HUGO:-1}"
RESULTS="${BENCH_OUT:-$HERE/results/latest.md}"
WANT_PAGEFIND="${BENCH_PAGEFIND:-0}"
WANT_COMPILE="${BENCH_COMPILE:-1}"
SERVE_N="${BENCH_SERVE:-$(echo "$SIZES" | tr ' ' '\n' | sort -n | tail -n1)}"
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"


apt_install() {
    # apt-get install, with one `apt-get update` first if the package is not known yet.
    command -v apt-get >/dev/null || return 1
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo -n"
    $sudo apt-get install -y "$@" >/dev/null 2>&1 && return 0
    $sudo apt-get update >/dev/null 2>&1 || true
    $sudo apt-get install -y "$@" >/dev/null 2>&1
}

# ---------------------------------------------------------------------------------------
# Tools

if [ ! -x /usr/bin/time ]; then
    say "installing GNU time (for peak memory)"
    apt_install time || die "/usr/bin/time is missing and the package \`time\` could not be installed"
fi
command -v python3 >/dev/null || die "python3 is needed to generate the corpus"

HUGO=0
if [ "$WANT_HUGO" = 1 ]; then
    if ! command -v hugo >/dev/null; then
        say "installing hugo (Debian package)"
        apt_install hugo || true
    fi
    if command -v hugo >/dev/null; then
        HUGO=1
        HUGO_VERSION="$(hugo version 2>/dev/null | head -n1)"
    else
        warn "hugo is not installed and could not be installed: measuring Vetrina only, no ratio"
    fi
else
    warn "BENCH_HUGO=0: measuring Vetrina only, no ratio"
fi
[ "$HUGO" = 1 ] || HUGO_VERSION="(not measured)"

PAGEFIND_CLI=""
if [ "$WANT_PAGEFIND" = 1 ]; then
    PF_VERSION="${BENCH_PAGEFIND_VERSION:-1.6.0}"
    PAGEFIND_CLI="$WORK/pagefind-$PF_VERSION/bin/pagefind"
    if [ ! -x "$PAGEFIND_CLI" ]; then
        say "building Pagefind $PF_VERSION's CLI (cargo install, once)"
        cargo install "pagefind@$PF_VERSION" --locked --quiet --root "$WORK/pagefind-$PF_VERSION" \
            || die "cargo install pagefind@$PF_VERSION failed"
    fi
fi

say "building Vetrina (cargo build --profile dist)"
(cd "$ROOT" && cargo build --profile dist --quiet) || die "cargo build --profile dist failed"
# The revision of the binary measured, taken when it is built (sources edited during the
# run do not change it).
REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$ROOT" status --porcelain -- src Cargo.toml Cargo.lock 2>/dev/null)" ]; then
    REV="$REV + uncommitted changes in src/ or Cargo.*"
fi
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
VETRINA="$TARGET_DIR/dist/vetrina"
[ -x "$VETRINA" ] || die "no binary at $VETRINA"

mkdir -p "$WORK"
# Every run's outputs are kept aside until the end (see TRASH below): about 0.24 MB per story
# per run for the three builds of both tools, and the corpora. Better to stop now than after
# ten minutes with "no space left on device".
if [ "${BENCH_NO_SPACE_CHECK:-0}" != 1 ]; then
    NEED_MB=0
    for n in $SIZES; do
        r="${BENCH_RUNS:-$([ "$n" -ge 5000 ] && echo 3 || echo 5)}"
        NEED_MB=$(awk -v a="$NEED_MB" -v n="$n" -v r="$r" 'BEGIN { printf "%d", a + n * (0.24 * (r + 2) + 0.05) }')
    done
    # The second corpus (bench/pictures.sh): about 1.2 MB per story per build of both tools
    # (Hugo's output holds each picture once per language), kept until the end, and its
    # pictures (0.25 MB per story).
    if [ "${BENCH_PICTURES:-1}" = 1 ]; then
        for n in ${BENCH_PICTURE_SIZES:-1000}; do
            NEED_MB=$(awk -v a="$NEED_MB" -v n="$n" -v r="${BENCH_PICTURE_RUNS:-3}" 'BEGIN { printf "%d", a + n * (1.2 * (r + 1) + 0.25) }')
        done
    fi
    FREE_MB=$(df -Pk "$WORK" | awk 'NR == 2 { printf "%d", $4 / 1024 }')
    if [ -n "$FREE_MB" ] && [ "$FREE_MB" -lt "$NEED_MB" ]; then
        die "$WORK has $FREE_MB MB free; this benchmark needs about $NEED_MB MB (sizes: $SIZES). Free some space, set BENCH_DIR to a larger disk, or measure fewer stories (BENCH_SIZES=1000); BENCH_NO_SPACE_CHECK=1 skips this check"
    fi
fi
# Outputs and corpora of earlier runs are moved into TRASH, not deleted, and TRASH is
# deleted when the benchmark ends. On ext4 the inode allocator skips inodes freed in the
# last minute or more (recently_deleted() in find_inode_bit), so creating thousands of files
# right after deleting thousands became several times slower with every run (measured here:
# Vetrina's write phase 0.4 s after a pause, 4-13 s right after `rm -rf`), for both tools:
# the figures measured the file system's history, not the generators.
TRASH="$WORK/trash"
export BENCH_TRASH="$TRASH"
trap 'rm -rf "$TRASH"' EXIT
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
BUSY=$(awk -v l="${LOAD_START%% *}" -v n="$(nproc)" 'BEGIN { print (l > 0.5 * n ? 1 : 0) }')
[ "$BUSY" = 0 ] || warn "load average $LOAD_START on $(nproc) cores: other processes are using the CPU, wall times will be inflated (CPU times much less)"

# ---------------------------------------------------------------------------------------
# Measuring (timing a command, medians and ratios: bench/lib.sh)

html_count() { find "$1" -name '*.html' -type f | wc -l; }
file_count() { find "$1" -type f | wc -l; }
# Vetrina's summary of what it wrote (its "Built …" or "Nothing changed …" line).
summary_line() { grep -E '^(Built|Nothing changed)' "$1" | tail -n1 | sed 's/\x1b\[[0-9;]*m//g'; }
# The phases Vetrina reports with VETRINA_TIMINGS set, in the order it runs them.
PHASES="inputs load model plan images render stage search write record"
# A table row: each phase's median over the logs given (ms), and the search phase's share
# of their sum. Usage: phase_row N LABEL LOG...
phase_row() {
    local n="$1" label="$2" cells="" p v total=0 search=0
    shift 2
    for p in $PHASES; do
        v=$(for f in "$@"; do awk -v p="$p" '$1 == p && $3 == "ms" { print $2 }' "$f"; done | median)
        if [ -z "$v" ]; then cells="$cells | –"; continue; fi
        cells="$cells | $(printf '%.0f' "$v")"
        total=$(awk -v a="$total" -v b="$v" 'BEGIN { print a + b }')
        [ "$p" = search ] && search="$v"
    done
    echo "| $n | $label$cells | $(awk -v s="$search" -v t="$total" 'BEGIN { if (s > 0 && t > 0) printf "%.0f %%", 100 * s / t; else printf "–" }') |"
}

ROWS=()          # markdown table rows of full builds
REBUILD_ROWS=()  # markdown table rows of rebuilds
PHASE_ROWS=()    # markdown table rows of Vetrina's phases
CHECKS=()        # the issue's targets
declare -A FULL_V  # N -> Vetrina median full build

for N in $SIZES; do
    RUNS="${BENCH_RUNS:-$([ "$N" -ge 5000 ] && echo 3 || echo 5)}"
    SITE="$WORK/site-$N"
    HSITE="$WORK/site-$N-hugo"
    VOUT="$WORK/out-$N-vetrina"
    HOUT="$WORK/out-$N-hugo"
    LOGS="$WORK/logs-$N"
    rm -rf "$LOGS" && mkdir -p "$LOGS"

    say "N=$N: generating the corpus (seed $SEED)"
    t0=$(date +%s%N)
    hugo_args=()
    [ "$HUGO" = 1 ] || hugo_args=(--no-hugo)
    python3 "$HERE/gen_corpus.py" --n "$N" --seed "$SEED" --out "$SITE" --hugo-out "$HSITE" --repo "$ROOT" "${hugo_args[@]}" >&2
    t1=$(date +%s%N)
    say "N=$N: corpus ready in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }') s; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"

    # A first build: no output, nothing in the cache (the demo site's 8 pictures are decoded,
    # resized and encoded). Its picture cache is what every full build below starts from,
    # as Hugo's starts from its resource cache (resources/_gen): a full build renders and
    # indexes every page into an empty output folder.
    discard "$VOUT" "$SITE/.vetrina-cache"
    measure "$LOGS/vetrina-first.log" env VETRINA_TIMINGS=1 "$VETRINA" build --root "$SITE" --output "$VOUT" --now "$NOW" \
        || die "Vetrina failed on the generated corpus (N=$N)"
    FIRST_WALL=$WALL; FIRST_CPU=$CPU; FIRST_RSS=$RSS
    say "N=$N: first build (no cache) $WALL s (cpu $CPU s)"
    [ -d "$SITE/.vetrina-cache/images" ] || die "the first build left no picture cache in $SITE/.vetrina-cache/images"
    rm -rf "$WORK/pictures-$N"
    cp -r "$SITE/.vetrina-cache/images" "$WORK/pictures-$N"
    # only_pictures: the site's cache emptied but for the pictures of the first build.
    only_pictures() {
        discard "$SITE/.vetrina-cache"
        mkdir -p "$SITE/.vetrina-cache"
        cp -r "$WORK/pictures-$N" "$SITE/.vetrina-cache/images"
    }

    # Full builds, the two tools alternating so that both see the same machine.
    vw=(); vr=(); vc=(); hw=(); hr=(); hc=(); sw=(); sr=(); sc=()
    for r in $(seq 1 "$RUNS"); do
        discard "$VOUT"
        only_pictures
        measure "$LOGS/vetrina-full-$r.log" env VETRINA_TIMINGS=1 "$VETRINA" build --root "$SITE" --output "$VOUT" --now "$NOW" \
            || die "Vetrina failed on the generated corpus (N=$N)"
        vw+=("$WALL"); vr+=("$RSS"); vc+=("$CPU")
        printf '   run %d/%d  vetrina %7.3f s (cpu %6.2f s) %6s MiB' "$r" "$RUNS" "$WALL" "$CPU" "$(mib "$RSS")" >&2
        # The same build without the search index (--no-search): what compares like for like
        # with Hugo, which builds none. It starts from the pictures alone too; the full
        # build's cache (pictures, the record of the build) is put back after it, for the
        # rebuilds below.
        discard "$VOUT-nosearch"
        mv "$SITE/.vetrina-cache" "$WORK/kept-cache-$N"
        only_pictures
        measure "$LOGS/vetrina-nosearch-$r.log" env VETRINA_TIMINGS=1 "$VETRINA" build --root "$SITE" --output "$VOUT-nosearch" --now "$NOW" --no-search \
            || die "Vetrina --no-search failed on the generated corpus (N=$N)"
        discard "$SITE/.vetrina-cache"
        mv "$WORK/kept-cache-$N" "$SITE/.vetrina-cache"
        sw+=("$WALL"); sr+=("$RSS"); sc+=("$CPU")
        printf '   no-search %7.3f s (cpu %6.2f s) %6s MiB' "$WALL" "$CPU" "$(mib "$RSS")" >&2
        if [ "$HUGO" = 1 ]; then
            discard "$HOUT"
            measure "$LOGS/hugo-full-$r.log" hugo --source "$HSITE" --destination "$HOUT" --cleanDestinationDir --quiet \
                || die "Hugo failed on the generated corpus (N=$N)"
            hw+=("$WALL"); hr+=("$RSS"); hc+=("$CPU")
            printf '   hugo %7.3f s (cpu %6.2f s) %6s MiB' "$WALL" "$CPU" "$(mib "$RSS")" >&2
        fi
        printf '\n' >&2
    done
    V_MED=$(echo "${vw[*]}" | median); V_RSS=$(echo "${vr[*]}" | maxof)
    V_HTML=$(html_count "$VOUT"); V_FILES=$(file_count "$VOUT"); V_SIZE=$(du -sm "$VOUT" | cut -f1)
    FULL_V[$N]="$V_MED"
    V_CPU=$(echo "${vc[*]}" | median)
    ROWS+=("| $N | Vetrina, first build (no picture cache; 1 run) | $FIRST_WALL | | $FIRST_CPU | | | | | $(mib "$FIRST_RSS") |")
    ROWS+=("| $N | Vetrina | $V_MED | $(echo "${vw[*]}" | tr ' ' '\n' | sort -g | head -n1)–$(echo "${vw[*]}" | maxof) | $V_CPU | $V_HTML | $V_FILES | $V_SIZE | $(div "$V_HTML" "$V_MED" 0) | $(mib "$V_RSS") |")
    if [ "$HUGO" = 1 ]; then
        H_MED=$(echo "${hw[*]}" | median); H_RSS=$(echo "${hr[*]}" | maxof)
        H_HTML=$(html_count "$HOUT"); H_FILES=$(file_count "$HOUT"); H_SIZE=$(du -sm "$HOUT" | cut -f1)
        H_CPU=$(echo "${hc[*]}" | median)
        ROWS+=("| $N | Hugo | $H_MED | $(echo "${hw[*]}" | tr ' ' '\n' | sort -g | head -n1)–$(echo "${hw[*]}" | maxof) | $H_CPU | $H_HTML | $H_FILES | $H_SIZE | $(div "$H_HTML" "$H_MED" 0) | $(mib "$H_RSS") |")
        RATIO=$(div "$V_MED" "$H_MED" 3)
        ROWS+=("| $N | **Vetrina/Hugo** | **$RATIO** | | $(div "$V_CPU" "$H_CPU" 3) | | | | | $(div "$V_RSS" "$H_RSS" 3) |")
    fi
    PHASE_ROWS+=("$(phase_row "$N" "full build" "$LOGS"/vetrina-full-*.log)")
    PHASE_ROWS+=("$(phase_row "$N" "\`--no-search\`" "$LOGS"/vetrina-nosearch-*.log)")
    S_MED=$(echo "${sw[*]}" | median); S_RSS=$(echo "${sr[*]}" | maxof); S_CPU=$(echo "${sc[*]}" | median)
    S_HTML=$(html_count "$VOUT-nosearch"); S_FILES=$(file_count "$VOUT-nosearch"); S_SIZE=$(du -sm "$VOUT-nosearch" | cut -f1)
    ROWS+=("| $N | Vetrina \`--no-search\` | $S_MED | $(echo "${sw[*]}" | tr ' ' '\n' | sort -g | head -n1)–$(echo "${sw[*]}" | maxof) | $S_CPU | $S_HTML | $S_FILES | $S_SIZE | $(div "$S_HTML" "$S_MED" 0) | $(mib "$S_RSS") |")
    if [ "$HUGO" = 1 ]; then
        ROWS+=("| $N | Vetrina \`--no-search\`/Hugo | $(div "$S_MED" "$H_MED" 3) | | $(div "$S_CPU" "$H_CPU" 3) | | | | | $(div "$S_RSS" "$H_RSS" 3) |")
        CHECKS+=("| full build ≤ 0.25 × Hugo, N=$N | $RATIO | $(awk -v r="$RATIO" 'BEGIN { print (r <= 0.25 ? "yes" : "**no**") }') |")
    fi
    # Pagefind's own CLI on the pages of Vetrina's last full build: the search index alone,
    # as Pagefind builds it (reading the pages from disk, writing its files).
    if [ -n "$PAGEFIND_CLI" ]; then
        pw=(); pr=(); pc=()
        for r in $(seq 1 "$RUNS"); do
            discard "$WORK/pagefind-out-$N"
            measure "$LOGS/pagefind-cli-$r.log" "$PAGEFIND_CLI" --site "$VOUT" --output-path "$WORK/pagefind-out-$N" \
                || die "Pagefind's CLI failed on Vetrina's output (N=$N)"
            pw+=("$WALL"); pr+=("$RSS"); pc+=("$CPU")
        done
        discard "$WORK/pagefind-out-$N"
        P_MED=$(echo "${pw[*]}" | median); P_CPU=$(echo "${pc[*]}" | median); P_RSS=$(echo "${pr[*]}" | maxof)
        P_PAGES=$(awk '/Indexed [0-9]+ pages/ { print $2; exit }' "$LOGS/pagefind-cli-$RUNS.log")
        ROWS+=("| $N | Pagefind $PF_VERSION CLI alone, on Vetrina's output ($P_PAGES pages indexed) | $P_MED | $(echo "${pw[*]}" | tr ' ' '\n' | sort -g | head -n1)–$(echo "${pw[*]}" | maxof) | $P_CPU | | | | | $(mib "$P_RSS") |")
        if [ "$HUGO" = 1 ]; then
            ROWS+=("| $N | Pagefind CLI alone/Hugo | $(div "$P_MED" "$H_MED" 3) | | $(div "$P_CPU" "$H_CPU" 3) | | | | | $(div "$P_RSS" "$H_RSS" 3) |")
        fi
    fi
    if [ "$N" -ge 10000 ]; then
        CHECKS+=("| peak memory ≤ 1 GB, N=$N | $(mib "$V_RSS") MiB | $(awk -v k="$V_RSS" 'BEGIN { print (k <= 1e6 ? "yes" : "**no**") }') |")
    fi

    # The floor: copying Vetrina's output tree (what merely writing it costs here).
    discard "$WORK/copy-$N"; sync
    t0=$(date +%s%N); cp -r "$VOUT" "$WORK/copy-$N"; t1=$(date +%s%N)
    COPY=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    discard "$WORK/copy-$N"

    # Rebuilds into the output of the last full build, image cache kept.
    REB_RUNS=$RUNS
    nv=(); nvc=(); nh=()
    for r in $(seq 1 "$REB_RUNS"); do
        measure "$LOGS/vetrina-nochange-$r.log" "$VETRINA" build --root "$SITE" --output "$VOUT" --now "$NOW" \
            || die "Vetrina's no-change rebuild failed (N=$N)"
        nv+=("$WALL"); nvc+=("$CPU")
        if [ "$HUGO" = 1 ]; then
            measure "$LOGS/hugo-nochange-$r.log" hugo --source "$HSITE" --destination "$HOUT" --quiet \
                || die "Hugo's no-change rebuild failed (N=$N)"
            nh+=("$WALL")
        fi
    done
    NV=$(echo "${nv[*]}" | median)
    NV_SAID=$(summary_line "$LOGS/vetrina-nochange-$REB_RUNS.log")
    NH="–"; [ "$HUGO" = 1 ] && NH=$(echo "${nh[*]}" | median)
    REBUILD_ROWS+=("| $N | no change | $NV | $(echo "${nvc[*]}" | median) | $(div "$NV" "$V_MED" 3) | $NH | $NV_SAID |")
    CHECKS+=("| no-change rebuild ≤ 10 % of a full build, N=$N | $(div "$NV" "$V_MED" 3) | $(awk -v a="$NV" -v b="$V_MED" 'BEGIN { print (a <= 0.1 * b ? "yes" : "**no**") }') |")

    # One story changed, three ways (a new edit each run, so that every run has a change
    # to publish), each followed by a rebuild of both tools into their last output:
    # - text: a sentence appended to the Italian text of the first generated story;
    # - title: the Italian title of the second story changed (its card is on lists, its
    #   region's and project's hubs and in the feeds);
    # - new story: a copy of the third story's folder (all four languages) under a new name.
    STORY=$(cd "$SITE/content/stories" && ls -d -- *-00001 | head -n1)
    STORY2=$(cd "$SITE/content/stories" && ls -d -- *-00002 | head -n1)
    STORY3=$(cd "$SITE/content/stories" && ls -d -- *-00003 | head -n1)
    edit_text() { # RUN TOOL
        local line="Frase aggiunta per il benchmark, modifica numero $1."
        if [ "$2" = vetrina ]; then
            printf '\n%s\n' "$line" >>"$SITE/content/stories/$STORY/index.it.md"
        else
            printf '\n%s\n' "$line" >>"$HSITE/content/it/stories/$STORY.md"
        fi
    }
    edit_title() { # RUN TOOL
        local f="$SITE/content/stories/$STORY2/index.it.md"
        [ "$2" = vetrina ] || f="$HSITE/content/it/stories/$STORY2.md"
        sed -i "0,/^title: \"/s/^title: \"\(.*\)\"\$/title: \"\1 (modifica $1)\"/" "$f"
    }
    new_story() { # RUN TOOL
        if [ "$2" = vetrina ]; then
            cp -r "$SITE/content/stories/$STORY3" "$SITE/content/stories/bench-nuova-$1"
        else
            cp "$HSITE/content/it/stories/$STORY3.md" "$HSITE/content/it/stories/bench-nuova-$1.md"
        fi
    }
    # shows_edit EDIT RUN: whether Vetrina's output shows the edit.
    shows_edit() {
        case "$1" in
            edit_text) grep -qs "modifica numero $2\." "$VOUT/storie/$STORY/index.html" ;;
            edit_title) grep -qs "(modifica $2)" "$VOUT/storie/$STORY2/index.html" ;;
            new_story) [ -f "$VOUT/storie/bench-nuova-$2/index.html" ] ;;
        esac
    }
    for edit in edit_text edit_title new_story; do
        case "$edit" in
            edit_text) label="one story's text changed" ;;
            edit_title) label="one story's title changed" ;;
            new_story) label="one story added" ;;
        esac
        cv=(); cvc=(); ch=()
        for r in $(seq 1 "$REB_RUNS"); do
            "$edit" "$r" vetrina
            measure "$LOGS/vetrina-$edit-$r.log" "$VETRINA" build --root "$SITE" --output "$VOUT" --now "$NOW" \
                || die "Vetrina's rebuild failed ($label, N=$N)"
            cv+=("$WALL"); cvc+=("$CPU")
            shows_edit "$edit" "$r" || warn "Vetrina's output does not show the edit ($label, run $r)"
            if [ "$HUGO" = 1 ]; then
                "$edit" "$r" hugo
                measure "$LOGS/hugo-$edit-$r.log" hugo --source "$HSITE" --destination "$HOUT" --quiet \
                    || die "Hugo's rebuild failed ($label, N=$N)"
                ch+=("$WALL")
            fi
        done
        CV=$(echo "${cv[*]}" | median)
        CV_SAID=$(summary_line "$LOGS/vetrina-$edit-$REB_RUNS.log")
        CH="–"; [ "$HUGO" = 1 ] && CH=$(echo "${ch[*]}" | median)
        REBUILD_ROWS+=("| $N | $label | $CV | $(echo "${cvc[*]}" | median) | $(div "$CV" "$V_MED" 3) | $CH | $CV_SAID |")
        CHECKS+=("| $label: rebuild ≤ 0.10 × a full build, N=$N | $(div "$CV" "$V_MED" 3) | $(awk -v a="$CV" -v b="$V_MED" 'BEGIN { print (a <= 0.1 * b ? "yes" : "**no**") }') |")
    done
    REBUILD_ROWS+=("| $N | (floor: \`cp -r\` of Vetrina's full output) | $COPY | | $(div "$COPY" "$V_MED" 3) | | |")
    CHECKS+=("| full build ≤ 1.25 × \`cp -r\` of its output, N=$N | $(div "$V_MED" "$COPY" 2) × | $(awk -v a="$V_MED" -v b="$COPY" 'BEGIN { print (a <= 1.25 * b ? "yes" : "**no**") }') |")
    if [ "$HUGO" = 1 ]; then
        say "N=$N done: Vetrina $V_MED s, Hugo $H_MED s, ratio $RATIO"
    else
        say "N=$N done: Vetrina $V_MED s"
    fi
done

if [ -n "${FULL_V[1000]:-}" ] && [ -n "${FULL_V[10000]:-}" ]; then
    G=$(div "${FULL_V[10000]}" "${FULL_V[1000]}" 2)
    CHECKS+=("| near-linear: time(10k) / time(1k) ≤ 11 | $G | $(awk -v g="$G" 'BEGIN { print (g <= 11 ? "yes" : "**no**") }') |")
fi

# The second corpus: other text lengths and a picture in every story (bench/pictures.sh,
# which writes its own table).
PICTURES_MD=""
if [ "${BENCH_PICTURES:-1}" = 1 ]; then
    say "the second corpus: other text lengths, a picture in every story (bench/pictures.sh)"
    if BENCH_VETRINA="$VETRINA" BENCH_DIR="$WORK" BENCH_SEED="$SEED" BENCH_NOW="$NOW" BENCH_HUGO="$HUGO"         BENCH_PICTURES_OUT="$WORK/pictures.md" bash "$HERE/pictures.sh" >"$WORK/pictures.log" 2>&1; then
        PICTURES_MD="$WORK/pictures.md"
        while read -r n kind ratio; do
            CHECKS+=("| second corpus (${kind//-/ }), full build ≤ 0.25 × Hugo, N=$n | $ratio | $(awk -v r="$ratio" 'BEGIN { print (r <= 0.25 ? "yes" : "**no**") }') |")
        done < <(awk -F' *\\| *' '/Vetrina\/Hugo\*\*/ { k = ($3 ~ /first/) ? "first-build" : "pictures-cached"; r = $4; gsub(/\*/, "", r); print $2, k, r }' "$PICTURES_MD")
    else
        warn "bench/pictures.sh failed; its output: $WORK/pictures.log"
    fi
fi

# `vetrina serve` on the largest site: a one-story edit until the open page shows it,
# resident memory, a load test (bench/serve.sh, which writes its own summary).
SERVE_MD=""
if [ "$SERVE_N" != 0 ]; then
    say "serve at $SERVE_N stories (bench/serve.sh)"
    if BENCH_N="$SERVE_N" BENCH_DIR="$WORK" BENCH_SERVE_OUT="$WORK/serve.md" bash "$HERE/serve.sh" >"$WORK/serve.log" 2>&1; then
        SERVE_MD="$WORK/serve.md"
        S_LAT=$(awk '/save to page shown/ { for (i = 1; i <= NF; i++) if ($i == "median") print $(i + 1) }' "$SERVE_MD")
        S_RSS=$(awk '/^- resident memory/ { for (i = 1; i <= NF; i++) if ($i == "KiB") m = $(i - 1) } END { print m }' "$SERVE_MD")
        S_PEAK=$(awk '/^- peak resident memory/ { for (i = 1; i <= NF; i++) if ($i == "KiB") m = $(i - 1) } END { print m }' "$SERVE_MD")
        CHECKS+=("| serve, N=$SERVE_N: one-story edit shown < 100 ms (median of 21) | $S_LAT ms | $(awk -v a="$S_LAT" 'BEGIN { print (a < 100 ? "yes" : "**no**") }') |")
        CHECKS+=("| serve, N=$SERVE_N: resident memory ≤ 1 GB (after the load test) | $(mib "$S_RSS") MiB | $(awk -v k="$S_RSS" 'BEGIN { print (k <= 1e6 ? "yes" : "**no**") }') |")
        CHECKS+=("| serve, N=$SERVE_N: peak resident memory ≤ 1 GB (its first build, title edits and stories added included) | $(mib "$S_PEAK") MiB | $(awk -v k="$S_PEAK" 'BEGIN { print (k <= 1e6 ? "yes" : "**no**") }') |")
    else
        warn "bench/serve.sh failed; its output: $WORK/serve.log"
    fi
fi

# The README's first command on a fresh clone: every crate compiled into an empty target
# folder (the sources already downloaded: the network's speed is not the project's).
COMPILE_ROW=""
if [ "$WANT_COMPILE" = 1 ]; then
    say "timing a first compile (cargo build --release of a fresh clone)"
    discard "$WORK/compile-clone" "$WORK/compile-target"
    git clone --quiet "$ROOT" "$WORK/compile-clone" || die "git clone of $ROOT failed"
    (cd "$WORK/compile-clone" && cargo fetch --quiet) || die "cargo fetch failed"
    measure "$WORK/compile.log" env CARGO_TARGET_DIR="$WORK/compile-target" \
        cargo build --release --manifest-path "$WORK/compile-clone/Cargo.toml" \
        || die "the first compile failed"
    COMPILE_ROW="| first compile, \`cargo build --release\` of a fresh clone | $WALL s | CPU $CPU s |"
    CHECKS+=("| first compile ≤ 4 minutes | $WALL s | $(awk -v a="$WALL" 'BEGIN { print (a <= 240 ? "yes" : "**no**") }') |")
    discard "$WORK/compile-clone" "$WORK/compile-target"
fi

# ---------------------------------------------------------------------------------------
# Report

CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
MEM=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
KERNEL=$(uname -sr)
RUSTC=$(rustc --version 2>/dev/null || echo unknown)

report() {
    echo "# Vetrina benchmark"
    echo
    echo "Run on $(date -u '+%Y-%m-%d %H:%M UTC') with \`bash bench/run.sh\` (sizes: $SIZES; seed $SEED; build date $NOW)."
    echo
    echo "| machine | |"
    echo "| --- | --- |"
    echo "| cores (nproc) | $(nproc) |"
    echo "| CPU | $CPU |"
    echo "| memory | $MEM |"
    echo "| kernel | $KERNEL |"
    echo "| load average (1, 5, 15 min) at the start, at the end | $LOAD_START; $(cut -d' ' -f1-3 /proc/loadavg) |"
    echo "| Vetrina | git $REV, $RUSTC, \`cargo build --profile dist\` (fat LTO, one codegen unit) |"
    echo "| Hugo | $HUGO_VERSION |"
    echo
    if [ "$BUSY" = 1 ]; then
        echo "**The machine was busy** (load average $LOAD_START at the start, on $(nproc) cores):"
        echo "other processes competed for the CPU, so wall times are inflated and noisy; CPU times"
        echo "(user + system) are the steadier figure, and the ratio comes from alternating runs."
        echo
    fi
    echo "## Full builds"
    echo
    echo "Each story is in 4 languages; the Vetrina site also holds the demo site (projects, news,"
    echo "events, pages, 6 stories with pictures). Clean output folder each run, and a cache holding"
    echo "only the pictures of a first build (as Hugo keeps its resources/_gen); the first build,"
    echo "with nothing cached, has a row of its own. Old outputs are moved aside, and deleted when"
    echo "the benchmark ends; the tools alternate, and each timed build starts after \`sync\`."
    echo "Wall time is the median of the runs, peak memory the largest. Vetrina's full build"
    echo "includes its search index (its own, one per language); Hugo builds none, so the"
    echo "\`--no-search\` row is the like-for-like comparison. The targets use the full build."
    if [ -n "$PAGEFIND_CLI" ]; then
        echo "The Pagefind row is Pagefind's own command (\`pagefind --site\`, version $PF_VERSION, which"
        echo "Vetrina used until it built its own index) indexing the pages of Vetrina's last full"
        echo "build (whole pages: they carry no data-pagefind-body), after the full builds."
    fi
    echo
    echo "| stories | tool | wall (s, median) | range (s) | CPU user+sys (s, median) | HTML files | files | MiB | HTML pages/s | peak RSS (MiB) |"
    echo "| ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "## Where Vetrina's full build spends its time"
    echo
    echo "The phases Vetrina reports with \`VETRINA_TIMINGS=1\` (set for every full build above),"
    echo "in milliseconds, median of the runs: the stamp of the inputs (every source file's size"
    echo "and time, for the next no-change check), reading the sources, the site model, the plan of"
    echo "pages, pictures, rendering (each page staged and taken apart for the search index by"
    echo "the thread that rendered it, as soon as it is rendered), staging the other files, the"
    echo "search index (pages not rendered read back, the threads' tables joined, the files made),"
    echo "writing its files and moving everything into place, and the record of the output for the"
    echo "next no-change check. The last column is the search"
    echo "phase's share of their sum; most of the index's cost is now in the render phase, about"
    echo "the difference between the two rows' render columns."
    echo
    echo "| stories | build | inputs | load | model | plan | images | render | stage | search | write | record | search share |"
    echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    printf '%s\n' "${PHASE_ROWS[@]}"
    echo
    echo "## Rebuilds"
    echo
    echo "Into the output of the last build, nothing touched (no change); after a sentence is"
    echo "appended to one story's \`index.it.md\` (text); after one story's Italian title is"
    echo "changed (title: its card is on lists, hubs and feeds); after a story is added (a copy"
    echo "of another's folder, four languages). Each run makes a new edit. Median of the runs."
    echo
    echo "| stories | rebuild | Vetrina wall (s) | Vetrina CPU (s) | × full build | Hugo wall (s) | Vetrina said |"
    echo "| ---: | --- | ---: | ---: | ---: | ---: | --- |"
    printf '%s\n' "${REBUILD_ROWS[@]}"
    echo
    if [ -n "$COMPILE_ROW" ]; then
        echo "## First compile"
        echo
        echo "| | wall | |"
        echo "| --- | ---: | --- |"
        echo "$COMPILE_ROW"
        echo
    fi
    if [ -n "$PICTURES_MD" ]; then
        echo "## Second corpus: other text lengths, a picture in every story"
        echo
        cat "$PICTURES_MD"
        echo
    fi
    if [ -n "$SERVE_MD" ]; then
        echo "## vetrina serve"
        echo
        sed -n '/^- /p' "$SERVE_MD"
        echo
    fi
    if [ "${#CHECKS[@]}" -gt 0 ]; then
        echo "## Targets (issues 10 and 32)"
        echo
        echo "| target | measured | holds |"
        echo "| --- | ---: | --- |"
        printf '%s\n' "${CHECKS[@]}"
        echo
    fi
}

mkdir -p "$(dirname "$RESULTS")"
report | tee "$RESULTS"
say "written to $RESULTS (corpora, outputs and logs in $WORK)"
