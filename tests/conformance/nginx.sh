#!/usr/bin/env bash
# The nginx server block of the README ("A web server of your own") serving a built site:
# nginx accepts it (`nginx -t`), and the answers carry the caching, types and security
# headers the README promises; with Chromium, pages and the search run under its
# Content-Security-Policy without a single violation.
#
#   bash tests/conformance/nginx.sh [PUBLIC_DIR]     # default: public/ (run `vetrina build` first)
#
# SEARCH_QUERY (default: progetto) is a word the site's first language has on some page.
#
# Needs nginx (Debian: nginx-light); Chromium is optional. Listens on 127.0.0.1 only, in a
# temporary folder, and stops its nginx at the end. Exits non-zero on any finding.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
public="$(cd "${1:-$repo/public}" && pwd)"
[ -f "$public/index.html" ] || { echo "no index.html in $public: run vetrina build first" >&2; exit 2; }
command -v nginx >/dev/null || { echo "nginx is not installed (Debian: apt-get install nginx-light)" >&2; exit 2; }

work="$(mktemp -d)"
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/tmp" "$work/logs"
port=$(( 20000 + RANDOM % 20000 ))

# The README's block, listening on this computer only, with the site's root.
awk '/^```nginx$/ {on=1; next} /^```$/ {on=0} on' "$repo/README.md" \
    | sed -e "s/listen 80;/listen 127.0.0.1:$port;/" \
          -e "s#root /srv/sito/public;#root $public;#" \
          -e "s/server_name www.example.org;/server_name localhost 127.0.0.1;/" \
    > "$work/site.conf"
grep -q "listen 127.0.0.1:$port;" "$work/site.conf" || { echo "no nginx block in the README" >&2; exit 1; }
ln -s /etc/nginx/mime.types "$work/mime.types"
cat > "$work/nginx.conf" <<EOF
daemon off;
pid $work/nginx.pid;
error_log $work/logs/error.log;
events {}
http {
    access_log $work/logs/access.log;
    client_body_temp_path $work/tmp;
    proxy_temp_path $work/tmp;
    fastcgi_temp_path $work/tmp;
    uwsgi_temp_path $work/tmp;
    scgi_temp_path $work/tmp;
    include mime.types;
    default_type application/octet-stream;
    include $work/site.conf;
}
EOF
nginx -t -q -c "$work/nginx.conf" -p "$work"
nginx -c "$work/nginx.conf" -p "$work" &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 50); do curl -s -o /dev/null "$base/" && break; sleep 0.1; done

fail=0
finding() { echo "FAIL: $*"; fail=1; }
# header URL NAME: the value of one header of a GET.
header() { curl -s -o /dev/null -D - "$1" | tr -d '\r' | awk -v n="$(echo "$2" | tr A-Z a-z)" 'BEGIN{FS=": "} tolower($1)==n {print substr($0, length($1)+3)}'; }
status() { curl -s -o /dev/null -w '%{http_code}' "$1"; }
expect() { # URL NAME WANTED (a grep -E pattern)
    local got; got="$(header "$base$1" "$2")"
    [[ "$got" =~ $3 ]] || finding "$1: $2 is '$got', wanted /$3/"
}

# first FIND-ARGS...: the first file `find` gives in the site, as an address.
first() { (cd "$public" && find . "$@" -print -quit) | sed 's#^\.##; s#index\.html$##'; }
css="$(first -maxdepth 1 -name 'style.*.css')"
js="$(first -maxdepth 1 -name 'search.*.js')"
ics="$(first -name '*.ics')"
for page in / "$css" "$ics" /sitemap.xml; do
    expect "$page" Content-Security-Policy "^default-src 'self'; script-src 'self'; "
    expect "$page" X-Content-Type-Options '^nosniff$'
    expect "$page" Referrer-Policy '^strict-origin-when-cross-origin$'
done
expect / Content-Type '^text/html; charset=utf-8$'
expect / Cache-Control '^no-cache$'
expect "$css" Cache-Control 'immutable'
expect "$css" Content-Type '^text/css'
[ -z "$js" ] || expect "$js" Cache-Control 'immutable'
expect "$ics" Content-Type '^text/calendar; charset=utf-8$'
expect "$ics" Cache-Control '^no-cache$'
if [ -f "$public/opendata/projects.csv" ]; then
    expect /opendata/projects.csv Content-Type '^text/csv; charset=utf-8$'
    expect /opendata/catalog.jsonld Content-Type '^application/ld\+json; charset=utf-8$'
fi
expect /sitemap.xml Content-Type 'xml'
[ "$(status "$base/.vetrina-output")" = 404 ] || finding ".vetrina-output is served"
[ "$(status "$base/no-such-page/")" = 404 ] || finding "a missing page is not a 404"
if [ -f "$public/admin/index.html" ]; then
    expect /admin/ X-Robots-Tag noindex
    expect /admin/ X-Content-Type-Options '^nosniff$'
fi

# Pages and the search under the policy, in a browser: no violation, and search finds.
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -n "$browser" ]; then
    # The first language's search page (at the root), and a word of its sites.
    search="$(first -mindepth 2 -maxdepth 2 -name index.html -exec grep -Eq 'id="?search-status' {} \;)"
    query="${SEARCH_QUERY:-progetto}"
    map="$(first -name index.html -exec grep -q 'map-tile' {} \;)"
    for page in / "$map" "$search?q=$query"; do
        "$browser" --headless=new --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
            --user-data-dir="$work/chromium" --virtual-time-budget=5000 --dump-dom "$base$page" \
            > "$work/page.html" 2> "$work/chromium.log" || true
        if grep -q "violates the following Content Security Policy" "$work/chromium.log"; then
            finding "$page breaks the Content-Security-Policy:"
            grep -m 3 "violates" "$work/chromium.log"
        fi
    done
    found="$(grep -o 'id="search-status"[^<]*' "$work/page.html" || true)"
    case "$found" in
        *[0-9]*) ;;
        *) finding "the search page found nothing for '$query' under the policy: '$found'" ;;
    esac
else
    echo "(no Chromium: the policy was not tried in a browser)"
fi

if [ "$fail" = 0 ]; then echo "nginx: the README's server block serves $public as promised"; fi
exit "$fail"
