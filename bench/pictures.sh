#!/usr/bin/env bash
# The second corpus of the benchmark (issue 32): other text lengths and a picture in every
# story, built by Vetrina and by Hugo (Debian package), alternating.
#
#   bash bench/pictures.sh          (bench/run.sh runs it too, and puts its table in its report)
#
# Settings (environment):
#   BENCH_PICTURE_SIZES  story counts                          (default "1000")
#   BENCH_PICTURE_WORDS  words in a story's body, MIN-MAX      (default 150-1500)
#   BENCH_PICTURE_RUNS   cached builds per size per tool       (default 3)
#   BENCH_SEED           the corpus seed is this plus one      (default 1, so 2)
#   BENCH_DIR, BENCH_NOW, BENCH_HUGO as for bench/run.sh
#   BENCH_VETRINA        the binary to measure (default: `cargo build --profile dist`)
#   BENCH_PICTURES_OUT   the table, in Markdown                (default bench/results/pictures.md)
#
# For each size: bench/gen_corpus.py --pictures (each story's picture is one of the demo
# site's covers, 1200 x 800, made a file of its own), then
# - a first build of each tool: no output, no picture cache (Vetrina's .vetrina-cache,
#   Hugo's resources/_gen): every picture decoded, resized and encoded;
# - cached builds, alternating: an empty output folder, each tool's picture cache kept
#   (Vetrina's cache holds nothing else, as in bench/run.sh's full builds).
# A first build at 10,000 stories takes Vetrina about a quarter of an hour here and Hugo
# several times that: the default measures 1,000.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"
SIZES="${BENCH_PICTURE_SIZES:-1000}"
WORDS="${BENCH_PICTURE_WORDS:-150-1500}"
RUNS="${BENCH_PICTURE_RUNS:-3}"
SEED=$(( ${BENCH_SEED:-1} + 1 ))
WORK="${BENCH_DIR:-/tmp/vetrina-bench}"
NOW="${BENCH_NOW:-2026-11-25}"
OUT="${BENCH_PICTURES_OUT:-$HERE/results/pictures.md}"
HUGO=0
if [ "${BENCH_HUGO:-1}" = 1 ] && command -v hugo >/dev/null; then HUGO=1; fi
[ -x /usr/bin/time ] || die "/usr/bin/time is needed (Debian package time; bench/run.sh installs it)"

VETRINA="${BENCH_VETRINA:-}"
if [ -z "$VETRINA" ]; then
    say "building Vetrina (cargo build --profile dist)"
    (cd "$ROOT" && cargo build --profile dist --quiet) || die "cargo build --profile dist failed"
    VETRINA="${CARGO_TARGET_DIR:-$ROOT/target}/dist/vetrina"
fi
[ -x "$VETRINA" ] || die "no binary at $VETRINA"

mkdir -p "$WORK"
TRASH="$WORK/trash-pictures"
trap 'rm -rf "$TRASH"' EXIT
export BENCH_TRASH="$TRASH"

# range VALUES: the least and the largest of the values, as "a–b".
range() { echo "$(echo "$*" | tr ' ' '\n' | sort -g | head -n1)–$(echo "$*" | maxof)"; }

ROWS=()
for N in $SIZES; do
    SITE="$WORK/pictures-site-$N"
    HSITE="$WORK/pictures-site-$N-hugo"
    VOUT="$WORK/pictures-out-$N-vetrina"
    HOUT="$WORK/pictures-out-$N-hugo"
    LOGS="$WORK/pictures-logs-$N"
    rm -rf "$LOGS" && mkdir -p "$LOGS"
    say "pictures, N=$N: generating the corpus (seed $SEED, $WORDS words, a picture per story)"
    hugo_args=()
    [ "$HUGO" = 1 ] || hugo_args=(--no-hugo)
    python3 "$HERE/gen_corpus.py" --n "$N" --seed "$SEED" --words "$WORDS" --pictures \
        --out "$SITE" --hugo-out "$HSITE" --repo "$ROOT" "${hugo_args[@]}" >&2

    # First builds: nothing cached.
    discard "$VOUT" "$SITE/.vetrina-cache"
    measure "$LOGS/vetrina-first.log" "$VETRINA" build --root "$SITE" --output "$VOUT" --now "$NOW" \
        || die "Vetrina failed on the picture corpus (N=$N)"
    VF=$WALL; VFC=$CPU; VFR=$RSS
    PROCESSED=$(grep -oE 'pictures: [0-9]+ processed' "$LOGS/vetrina-first.log" | grep -oE '[0-9]+' || echo '?')
    say "pictures, N=$N: Vetrina's first build $WALL s (cpu $CPU s), $PROCESSED pictures processed"
    rm -rf "$WORK/pictures-cache-$N"
    cp -r "$SITE/.vetrina-cache/images" "$WORK/pictures-cache-$N"
    if [ "$HUGO" = 1 ]; then
        discard "$HOUT" "$HSITE/resources"
        measure "$LOGS/hugo-first.log" hugo --source "$HSITE" --destination "$HOUT" --cleanDestinationDir --quiet \
            || die "Hugo failed on the picture corpus (N=$N)"
        HF=$WALL; HFC=$CPU; HFR=$RSS
        say "pictures, N=$N: Hugo's first build $WALL s (cpu $CPU s)"
    fi

    # Cached builds, alternating.
    vw=(); vc=(); vr=(); hw=(); hc=(); hr=()
    for r in $(seq 1 "$RUNS"); do
        discard "$VOUT" "$SITE/.vetrina-cache"
        mkdir -p "$SITE/.vetrina-cache"
        cp -r "$WORK/pictures-cache-$N" "$SITE/.vetrina-cache/images"
        measure "$LOGS/vetrina-cached-$r.log" "$VETRINA" build --root "$SITE" --output "$VOUT" --now "$NOW" \
            || die "Vetrina failed on the picture corpus (N=$N)"
        vw+=("$WALL"); vc+=("$CPU"); vr+=("$RSS")
        printf '   run %d/%d  vetrina %7.3f s (cpu %6.2f s)' "$r" "$RUNS" "$WALL" "$CPU" >&2
        if [ "$HUGO" = 1 ]; then
            discard "$HOUT"
            measure "$LOGS/hugo-cached-$r.log" hugo --source "$HSITE" --destination "$HOUT" --cleanDestinationDir --quiet \
                || die "Hugo failed on the picture corpus (N=$N)"
            hw+=("$WALL"); hc+=("$CPU"); hr+=("$RSS")
            printf '   hugo %7.3f s (cpu %6.2f s)' "$WALL" "$CPU" >&2
        fi
        printf '\n' >&2
    done
    grep -q "0 processed" "$LOGS/vetrina-cached-$RUNS.log" \
        || warn "Vetrina's cached build processed pictures again (see $LOGS/vetrina-cached-$RUNS.log)"
    VC=$(echo "${vw[*]}" | median); VCC=$(echo "${vc[*]}" | median)
    ROWS+=("| $N | Vetrina, first build (1 run; $PROCESSED pictures processed) | $VF | | $VFC | $(mib "$VFR") |")
    [ "$HUGO" = 1 ] && ROWS+=("| $N | Hugo, first build (1 run) | $HF | | $HFC | $(mib "$HFR") |")
    [ "$HUGO" = 1 ] && ROWS+=("| $N | **first build, Vetrina/Hugo** | **$(div "$VF" "$HF" 3)** | | $(div "$VFC" "$HFC" 3) | |")
    ROWS+=("| $N | Vetrina, pictures cached | $VC | $(range "${vw[*]}") | $VCC | $(mib "$(echo "${vr[*]}" | maxof)") |")
    if [ "$HUGO" = 1 ]; then
        HC=$(echo "${hw[*]}" | median); HCC=$(echo "${hc[*]}" | median)
        ROWS+=("| $N | Hugo, pictures cached | $HC | $(range "${hw[*]}") | $HCC | $(mib "$(echo "${hr[*]}" | maxof)") |")
        ROWS+=("| $N | **pictures cached, Vetrina/Hugo** | **$(div "$VC" "$HC" 3)** | | $(div "$VCC" "$HCC" 3) | |")
    fi
    V_SIZE=$(du -sm "$VOUT" | cut -f1)
    H_SIZE="–"; [ "$HUGO" = 1 ] && H_SIZE=$(du -sm "$HOUT" | cut -f1)
    ROWS+=("| $N | (output: Vetrina $V_SIZE MiB, Hugo $H_SIZE MiB) | | | | |")
done

REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
{
    echo "Run on $(date -u '+%Y-%m-%d %H:%M UTC') at git $REV ($(nproc) cores; $(hugo version 2>/dev/null | cut -d' ' -f1-2 || echo 'no Hugo'))."
    echo
    echo "Second corpus: \`gen_corpus.py --seed $SEED --words $WORDS --pictures\` (each story's body"
    echo "$WORDS words, and a picture: one of the demo's six 1200 × 800 JPEG covers, a file of its"
    echo "own per story). Vetrina makes 480, 960 and 1200 pixels wide in JPEG and, when smaller,"
    echo "WebP; Hugo's templates ask the same widths in JPEG and WebP at quality 80, each story a"
    echo "page bundle in each language's content folder (Hugo 0.111 shares no resource between"
    echo "languages). First build: nothing cached. Cached: an empty output folder, the picture"
    echo "cache of each tool kept (Vetrina's \`.vetrina-cache/images\`, Hugo's \`resources/_gen\`)."
    echo "Wall median of $RUNS alternating runs, each after \`sync\`."
    echo
    echo "| stories | build | wall (s) | range (s) | CPU user+sys (s) | peak RSS (MiB) |"
    echo "| ---: | --- | ---: | --- | ---: | ---: |"
    printf '%s\n' "${ROWS[@]}"
} | tee "$OUT"
say "written to $OUT"
