#!/usr/bin/env bash
# Conformance checks for the site Vetrina builds: Nu Html Checker, axe-core in
# headless Chromium, screenshots, .ics/.xml parsing. See README.md here.
#
#   bash tests/conformance/run.sh                 build the demo site, check it
#   bash tests/conformance/run.sh --no-build --public DIR   check a built folder
#
# Env: VETRINA_BIN=path  use this binary instead of `cargo build --release`.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CALLER_PWD="$PWD"
cd "$ROOT"

BUILD=1
PUBLIC="$ROOT/public"
usage() {
    sed -n '2,8p' "$HERE/run.sh" | sed 's/^# \{0,1\}//'
    exit "${1:-2}"
}
while [ $# -gt 0 ]; do
    case "$1" in
        --no-build) BUILD=0 ;;
        --public) [ $# -ge 2 ] || usage; PUBLIC="$2"; shift ;;
        --public=*) PUBLIC="${1#--public=}" ;;
        -h|--help) usage 0 ;;
        *) echo "run.sh: unknown argument: $1" >&2; usage ;;
    esac
    shift
done
# A relative --public is taken from the caller's folder.
case "$PUBLIC" in /*) ;; *) PUBLIC="$CALLER_PWD/$PUBLIC" ;; esac

ART="$HERE/artifacts"
mkdir -p "$ART"
SUM="$(mktemp -d)"
trap 'rm -rf "$SUM"' EXIT

section() { printf '\n==== %s ====\n' "$*"; }
now() { date +%s; }
declare -a TIMES=()
FAILED=()

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
APT_UPDATED=0
apt_install() {
    if [ "$APT_UPDATED" -eq 0 ]; then
        $SUDO apt-get update -qq
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@"
}

# ---------------------------------------------------------------- installs
section "conformance: installing what is missing"
t0=$(now)
if [ ! -x /usr/bin/chromium ]; then
    echo "installing Debian chromium"
    apt_install chromium
else
    echo "chromium: present ($(/usr/bin/chromium --version 2>/dev/null | head -n1))"
fi
if ! java -version >/dev/null 2>&1; then
    echo "installing default-jre-headless"
    apt_install default-jre-headless
else
    echo "java: present ($(java -version 2>&1 | head -n1))"
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "installing Debian nodejs and npm"
    apt_install nodejs npm
fi
echo "node: $(node --version)"
if ! python3 -c 'import icalendar' >/dev/null 2>&1; then
    echo "installing Python icalendar"
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore 'icalendar==7.3.2' \
        || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages 'icalendar==7.3.2'
else
    echo "icalendar: present ($(python3 -c 'import icalendar; print(icalendar.__version__)'))"
fi
# npm packages, pinned by package-lock.json; reinstalled only when the lock
# file changes. --ignore-scripts: vnu-jar's postinstall would try to download a
# Java runtime, which the machine already has.
STAMP="$HERE/node_modules/.vetrina-lock"
if [ ! -f "$STAMP" ] || ! cmp -s "$HERE/package-lock.json" "$STAMP" \
    || [ ! -f "$HERE/node_modules/vnu-jar/build/dist/vnu.jar" ] \
    || [ ! -f "$HERE/node_modules/axe-core/axe.min.js" ] \
    || [ ! -f "$HERE/node_modules/playwright-core/package.json" ]; then
    echo "installing npm packages (npm ci) in tests/conformance"
    (cd "$HERE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    cp "$HERE/package-lock.json" "$STAMP"
else
    echo "npm packages: present"
fi
VNU_JAR="$HERE/node_modules/vnu-jar/build/dist/vnu.jar"
TIMES+=("install: $(( $(now) - t0 ))s")

# -------------------------------------------------------------- a. build
if [ "$BUILD" -eq 1 ]; then
    section "conformance a: building the demo site"
    t0=$(now)
    if [ -n "${VETRINA_BIN:-}" ]; then
        BIN="$VETRINA_BIN"
        case "$BIN" in /*) ;; *) BIN="$CALLER_PWD/$BIN" ;; esac
        [ -x "$BIN" ] || { echo "VETRINA_BIN=$VETRINA_BIN is not an executable" >&2; exit 1; }
        echo "using VETRINA_BIN=$BIN"
    else
        cargo build --release
        BIN="$ROOT/target/release/vetrina"
    fi
    "$BIN" build --output "$PUBLIC"
    TIMES+=("build: $(( $(now) - t0 ))s")
else
    echo "skipping the build; checking $PUBLIC"
fi
if [ ! -d "$PUBLIC" ]; then
    echo "FAIL: no built site at $PUBLIC" >&2
    exit 1
fi

# ------------------------------------------------- a2. the search index
section "conformance a2: the search index as the browser reads it (Chromium)"
t0=$(now)
if node "$HERE/search_runtime.mjs" --public "$PUBLIC"; then
    :
else
    FAILED+=("search")
fi
TIMES+=("search: $(( $(now) - t0 ))s")

# ------------------------------------------------- a3. the list filters
section "conformance a3: the story and event list filters (Chromium)"
t0=$(now)
if node "$HERE/list_filters.mjs" --public "$PUBLIC"; then
    :
else
    FAILED+=("list-filters")
fi
# The demo's stories fit on one page: a copy with two stories a page has a story list over
# several pages, whose filters read the whole list from the JSON beside it.
if [ -n "${BIN:-}" ]; then
    PAGED="$(mktemp -d)"
    cp -r "$ROOT/site.yaml" "$ROOT/content" "$ROOT/data" "$ROOT/themes" "$PAGED/"
    sed -i 's/^stories_per_page:.*/stories_per_page: 2/' "$PAGED/site.yaml"
    if "$BIN" build --root "$PAGED" --output "$PAGED/public" >/dev/null \
        && [ -f "$PAGED/public/storie/2/index.html" ] \
        && node "$HERE/list_filters.mjs" --public "$PAGED/public"; then
        :
    else
        FAILED+=("list-filters-paged")
    fi
    rm -rf "$PAGED"
fi
TIMES+=("list-filters: $(( $(now) - t0 ))s")

# ------------------------------------------------- a5. the search page
section "conformance a5: the search page's filters, order and heading links (Chromium)"
t0=$(now)
if node "$HERE/search_page.mjs" --public "$PUBLIC"; then
    :
else
    FAILED+=("search-page")
fi
TIMES+=("search-page: $(( $(now) - t0 ))s")

# ------------------------------------------------------------ b. vnu
section "conformance b: Nu Html Checker (HTML and CSS)"
t0=$(now)
if python3 "$HERE/static_checks.py" vnu "$PUBLIC" --jar "$VNU_JAR" --summary "$SUM/vnu.json"; then
    :
else
    FAILED+=("vnu")
fi
TIMES+=("vnu: $(( $(now) - t0 ))s")

# ------------------------------------------------- c + d. axe, screenshots
section "conformance c+d: axe-core in headless Chromium, page structure, screenshots"
t0=$(now)
rm -f "$ART"/*.png
if node "$HERE/axe.mjs" --public "$PUBLIC" --artifacts "$ART" --summary "$SUM/axe.json"; then
    :
else
    FAILED+=("axe")
fi
TIMES+=("axe+screenshots: $(( $(now) - t0 ))s")

# ----------------------------------------------------------- e. parsing
section "conformance e: parsing .ics and .xml files"
t0=$(now)
if python3 "$HERE/static_checks.py" parse "$PUBLIC" --summary "$SUM/parse.json"; then
    :
else
    FAILED+=("parse")
fi
TIMES+=("parse: $(( $(now) - t0 ))s")

# ------------------------------------------------------------ f. summary
section "conformance summary"
python3 - "$SUM" <<'EOF'
import json, os, sys
d = sys.argv[1]
def load(name):
    try:
        with open(os.path.join(d, name), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None
v, a, p = load("vnu.json"), load("axe.json"), load("parse.json")
if v:
    print(f"vnu:   {v['html_files']} HTML file(s), {v['html_errors']} error(s); "
          f"{v['css_files']} CSS file(s), {v['css_errors']} error(s)"
          + (f" ({v['css_ignored']} known false positive(s) ignored)" if v.get('css_ignored') else ""))
else:
    print("vnu:   did not finish")
if a:
    print(f"axe:   {a['pages']}/{a['pagesPlanned']} page(s) at {' and '.join(a['viewports'])}; "
          f"{a['axeViolations']} violation(s) on {a['axeNodes']} element(s); "
          f"{a['otherFindings']} other finding(s) (structure, third-party requests, cookies, errors)")
    print(f"shots: {len(a['screenshots'])} screenshot(s) in tests/conformance/artifacts/"
          + (f"; {len(a['warnings'])} warning(s)" if a['warnings'] else ""))
else:
    print("axe:   did not finish")
if p:
    print(f"parse: {p['ics_files']} .ics and {p['xml_files']} .xml file(s) parsed; {p['failures']} failure(s)")
else:
    print("parse: did not finish")
EOF
echo "time:  ${TIMES[*]}"
if [ "${#FAILED[@]}" -gt 0 ]; then
    echo "conformance: FAILED (${FAILED[*]})"
    exit 1
fi
echo "conformance: all checks passed"
