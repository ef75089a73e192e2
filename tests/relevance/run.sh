#!/usr/bin/env bash
# Relevance of Vetrina's search, side by side with Pagefind (issue 30, point 10).
#
#   bash tests/relevance/run.sh             build the demo site and the generated corpus,
#                                           index both with Pagefind, run every query
#   bash tests/relevance/run.sh --strict    exit 1 if any query fails (default: report only)
#
# Env: VETRINA_BIN      the vetrina binary (default: `cargo build`, then target/debug/vetrina)
#      RELEVANCE_STORIES stories in the generated corpus (default 1000)
#      RELEVANCE_DIR    work folder for the sites and their outputs (default /tmp/vetrina-relevance)
#      RELEVANCE_NOW    build date (default 2026-11-25)
#
# Both sites are built from copies with `minify: false` in site.yaml, as when the set was
# made: the minifier of the time left out </head>, and Pagefind indexed no page (issue 30
# point 9; tests/conformance/pagefind.sh now checks the minified output). Vetrina's index
# does not depend on minification; the queries run against both engines on the same pages.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STRICT=()
for a in "$@"; do
    case "$a" in
        --strict) STRICT=(--strict) ;;
        -h|--help) sed -n '2,15p' "$HERE/run.sh" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument: $a" >&2; exit 2 ;;
    esac
done

STORIES="${RELEVANCE_STORIES:-1000}"
WORK="${RELEVANCE_DIR:-/tmp/vetrina-relevance}"
NOW="${RELEVANCE_NOW:-2026-11-25}"
say() { printf 'relevance: %s\n' "$*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
T_ALL=$(now)

VETRINA="${VETRINA_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/vetrina}"
if [ -z "${VETRINA_BIN:-}" ]; then
    say "building vetrina (cargo build)"
    (cd "$ROOT" && cargo build --quiet)
fi
[ -x "$VETRINA" ] || { say "no vetrina binary at $VETRINA"; exit 2; }
command -v node >/dev/null || { say "node is needed"; exit 2; }
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { say "Chromium is needed at ${CHROMIUM:-/usr/bin/chromium} (apt-get install chromium)"; exit 2; }
if [ ! -d "$HERE/node_modules/playwright-core" ] || [ ! -d "$HERE/node_modules/pagefind" ]; then
    say "installing playwright-core and pagefind (npm ci)"
    (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
fi
PAGEFIND="$HERE/node_modules/.bin/pagefind"
mkdir -p "$WORK"

# The demo site: a copy of the repository's site, minification off.
t=$(now)
rm -rf "$WORK/demo-site" "$WORK/demo"
mkdir -p "$WORK/demo-site"
cp -r "$ROOT/site.yaml" "$ROOT/content" "$ROOT/data" "$ROOT/themes" "$WORK/demo-site/"
printf '\nminify: false\n' >>"$WORK/demo-site/site.yaml"
"$VETRINA" build --root "$WORK/demo-site" --output "$WORK/demo" --now "$NOW" >&2
say "demo site built in $(since "$t") s"

# The generated corpus (bench/gen_corpus.py), minification off.
t=$(now)
rm -rf "$WORK/corpus"
python3 "$ROOT/bench/gen_corpus.py" --n "$STORIES" --seed 1 --out "$WORK/corpus-site" --no-hugo --repo "$ROOT" >&2
printf '\nminify: false\n' >>"$WORK/corpus-site/site.yaml"
"$VETRINA" build --root "$WORK/corpus-site" --output "$WORK/corpus" --now "$NOW" >&2
say "corpus of $STORIES stories generated and built in $(since "$t") s"

# Pagefind on the same outputs (its files go to pagefind/ inside each).
for site in demo corpus; do
    t=$(now)
    "$PAGEFIND" --site "$WORK/$site" --output-subdir pagefind >"$WORK/pagefind-$site.log" 2>&1 \
        || { cat "$WORK/pagefind-$site.log" >&2; say "Pagefind failed on $site"; exit 2; }
    say "Pagefind indexed $site in $(since "$t") s: $(grep -m1 -o 'Indexed [0-9]* pages' "$WORK/pagefind-$site.log")"
done

NOTE="Sites: the demo site and a corpus of $STORIES generated stories (\`bench/gen_corpus.py --n $STORIES --seed 1\`, which holds the demo site too), built by Vetrina $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?') with \`minify: false\` (Pagefind indexes no page of the minified output) and \`--now $NOW\`; Pagefind $(node -p "require('$HERE/node_modules/pagefind/package.json').version") run on the same folders (the whole \`<body>\` of every page: the pages carry no \`data-pagefind-body\`)."
t=$(now)
set +e
SKIP=()
# The corpus queries name stories of the 1,000-story corpus; a smaller one lacks some of them.
[ "$STORIES" -ge 1000 ] || SKIP=(--skip-missing)
node "$HERE/run.mjs" --site "demo=$WORK/demo" --site "corpus=$WORK/corpus" --note "$NOTE" "${STRICT[@]}" "${SKIP[@]}"
rc=$?
set -e
say "queries ran in $(since "$t") s; whole run $(since "$T_ALL") s"
exit "$rc"
