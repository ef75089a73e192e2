#!/usr/bin/env bash
# `vetrina serve` on a large site (issue 9): edit-to-browser latency and a load test.
#
#   bash bench/serve.sh                  N = 1,000 stories x 4 languages
#   BENCH_N=200 bash bench/serve.sh      a smaller site
#
# 1. generates the benchmark corpus (bench/gen_corpus.py, no Hugo site) and starts
#    `vetrina serve` on it (release build);
# 2. latency: bench/serve_latency.py appends a sentence to a story 21 times, 2 s apart, and
#    times each save until the open page's event stream says `reload` and the page fetched
#    again shows the sentence; prints the median;
# 3. load: wrk, 200 connections on 2 threads for 10 s over six pages, twice, with the
#    server's resident memory (VmRSS) before, after the first and after the second round;
#    any socket error or non-2xx answer is a failure.
# 4. a story's title edited twice, then three stories added: their rebuild times, and the
#    peak resident memory (VmHWM) over the whole run.
# Results go to bench/results/serve.md. Needs apt for wrk if it is missing.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
N="${BENCH_N:-1000}"
DIR="${BENCH_DIR:-/tmp/vetrina-bench}/serve-$N"
PORT="${BENCH_PORT:-18999}"
OUT="${BENCH_SERVE_OUT:-$HERE/results/serve.md}"

if ! command -v wrk >/dev/null; then
    echo "installing wrk (apt)"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
cd "$ROOT"
cargo build --release --quiet
BIN="$ROOT/target/release/vetrina"

rm -rf "$DIR"
mkdir -p "$DIR"
python3 "$HERE/gen_corpus.py" --n "$N" --out "$DIR/site" --no-hugo >/dev/null
STORY="$(ls "$DIR/site/content/stories" | grep -- '-00001$' | head -1)"
[ -n "$STORY" ] || STORY="$(ls "$DIR/site/content/stories" | head -1)"

cd "$DIR/site"
"$BIN" serve --port "$PORT" --now 2026-11-25 --output "$DIR/public" >"$DIR/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do grep -q "Serving the site" "$DIR/serve.log" && break; sleep 0.2; done
grep -q "Serving the site" "$DIR/serve.log" || { cat "$DIR/serve.log"; exit 1; }
FIRST="$(grep -m1 'Rebuilt in' "$DIR/serve.log")"
# Let the first search index finish before measuring.
sleep 15

echo "== latency (edit -> reload event -> page fetched with the edit), $N stories"
LAT="$(python3 "$HERE/serve_latency.py" --url "http://127.0.0.1:$PORT" --site "$DIR/site" --story "$STORY" --edits 21)"
echo "$LAT"
REBUILDS="$(grep 'Rebuilt in' "$DIR/serve.log" | tail -21 | sed -E 's/.*Rebuilt in ([0-9]+) ms.*/\1/' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
sleep 12

rss() { awk '/VmRSS/ {print $2}' "/proc/$PID/status"; }
# The most the server has held at once (its first build's pages, before they are written).
peak() { awk '/VmHWM/ {print $2}' "/proc/$PID/status"; }
cat >"$DIR/paths.lua" <<LUA
local paths = { "/", "/storie/$STORY/", "/en/stories/$STORY/", "/progetti/puoi/", "/regioni/lombardia/", "/feed.xml" }
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA
echo "== load: 200 connections, 10 s, twice"
R0="$(rss)"
W1="$(wrk -t2 -c200 -d10s --timeout 10s -s "$DIR/paths.lua" "http://127.0.0.1:$PORT")"
R1="$(rss)"
W2="$(wrk -t2 -c200 -d10s --timeout 10s -s "$DIR/paths.lua" "http://127.0.0.1:$PORT")"
R2="$(rss)"
echo "$W1"; echo "$W2"
# Edits that change more than one page: the index after them remakes every language's
# files, the most memory an edit takes. 8 s apart, so that each index is written.
echo "== a story's title edited twice, then three stories added"
BUILT_BEFORE="$(grep -c 'Rebuilt in' "$DIR/serve.log")"
TITLED="$(ls content/stories | grep -- '-00002$' | head -1)"
COPIED="$(ls content/stories | grep -- '-00003$' | head -1)"
for i in 1 2; do
    sed -i "0,/^title: \"/s/^title: \"\(.*\)\"\$/title: \"\1 ($i)\"/" "content/stories/$TITLED/index.it.md"
    sleep 8
done
for i in 1 2 3; do
    cp -r "content/stories/$COPIED" "content/stories/bench-added-$i"
    sleep 8
done
STRUCTURAL="$(grep 'Rebuilt in' "$DIR/serve.log" | tail -n +$((BUILT_BEFORE + 1)) | sed -E 's/.*Rebuilt in ([0-9]+) ms.*/\1 ms/' | paste -sd, - | sed 's/,/, /g')"
[ "$(grep -c 'Rebuilt in' "$DIR/serve.log")" -eq $((BUILT_BEFORE + 5)) ] || { tail -20 "$DIR/serve.log"; echo "FAIL: the edits were not all built"; exit 1; }
errors() { echo "$1" | grep -E "Socket errors|Non-2xx" || true; }
E="$(errors "$W1")$(errors "$W2")"
rps() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
{
    echo "# vetrina serve — latency and load"
    echo
    echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo);"
    echo "revision $(git -C "$ROOT" rev-parse --short HEAD); \`bash bench/serve.sh\` (N = $N stories x 4 languages)."
    echo
    echo "- first build in serve: ${FIRST#*Rebuilt in }"
    echo "- one-story edit, save to page shown (21 edits, 2 s apart): $(echo "$LAT" | tail -1)"
    echo "- rebuild time alone (median of the same 21, from the server's log): ${REBUILDS} ms"
    echo "- load, round 1: $(rps "$W1") requests/s; round 2: $(rps "$W2") requests/s"
    echo "- errors (socket errors, non-2xx answers): ${E:-none}"
    echo "- resident memory: ${R0} KiB before, ${R1} KiB after round 1, ${R2} KiB after round 2"
    echo "- a title edited twice, then three stories added, 8 s apart: rebuilt in ${STRUCTURAL}"
    echo "- peak resident memory (VmHWM, since the server started, these edits included): $(peak) KiB"
} >"$OUT"
cat "$OUT"
[ -z "$E" ] || { echo "FAIL: errors under load"; exit 1; }
