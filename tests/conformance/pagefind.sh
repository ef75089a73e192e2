#!/usr/bin/env bash
# Interop with streaming HTML tools: Pagefind, run on the site as built, indexes every page
# Vetrina's own search indexes, and what the theme marks data-search-ignore ends where a
# browser ends it (issue 30, point 9).
#
#   bash tests/conformance/pagefind.sh                 check ./public, built already
#   bash tests/conformance/pagefind.sh --public DIR    check a site built in DIR
#
# Pagefind is the npm package pinned in package.json / package-lock.json here (its binary
# comes in a per-platform package it depends on). It runs twice, into a temporary folder:
# - as built: no options. Every page of Vetrina's index (search-index/<lang>/index.json and
#   its d.*.json files) must be among Pagefind's pages, in the same language.
# - with the theme's attributes mapped to Pagefind's: --root-selector "[data-search-body]"
#   (Pagefind's data-pagefind-body), --exclude-selectors "[data-search-ignore]" (its
#   data-pagefind-ignore). Every page of Vetrina's index again; and on each, the first text
#   after every data-search-ignore element must be in Pagefind's text of the page: an
#   ignored element whose end tag was left out would hide the rest of the page.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CALLER_PWD="$PWD"

PUBLIC="$ROOT/public"
usage() {
    sed -n '2,7p' "$HERE/pagefind.sh" | sed 's/^# \{0,1\}//'
    exit "${1:-2}"
}
while [ $# -gt 0 ]; do
    case "$1" in
        --public) [ $# -ge 2 ] || usage; PUBLIC="$2"; shift ;;
        --public=*) PUBLIC="${1#--public=}" ;;
        -h|--help) usage 0 ;;
        *) echo "pagefind.sh: unknown argument: $1" >&2; usage ;;
    esac
    shift
done
case "$PUBLIC" in /*) ;; *) PUBLIC="$CALLER_PWD/$PUBLIC" ;; esac
if [ ! -d "$PUBLIC/search-index" ]; then
    echo "FAIL: no site with a search index at $PUBLIC (run vetrina build first)" >&2
    exit 1
fi

# ---------------------------------------------------------------- installs
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "installing Debian nodejs and npm"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi
# The same stamp as run.sh: node_modules/ matches package-lock.json.
PINNED="$(node -p "require('$HERE/package.json').devDependencies.pagefind")"
PF="$HERE/node_modules/.bin/pagefind"
STAMP="$HERE/node_modules/.vetrina-lock"
if [ ! -f "$STAMP" ] || ! cmp -s "$HERE/package-lock.json" "$STAMP" \
    || [ "$("$PF" --version 2>/dev/null)" != "pagefind $PINNED" ]; then
    echo "installing npm packages (npm ci) in tests/conformance"
    (cd "$HERE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    cp "$HERE/package-lock.json" "$STAMP"
fi
VERSION="$("$PF" --version 2>&1 || true)"
if [ "$VERSION" != "pagefind $PINNED" ]; then
    echo "FAIL: Pagefind $PINNED does not run here: $VERSION" >&2
    exit 1
fi
echo "$VERSION ($(uname -m)); site: $PUBLIC"

# ------------------------------------------------------------ the two runs
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
run_pagefind() {
    local name="$1"
    shift
    echo "pagefind $name: $*"
    if ! "$PF" --site "$PUBLIC" --output-path "$OUT/$name" --quiet "$@"; then
        echo "FAIL: Pagefind ($name) made no index of $PUBLIC. It indexes nothing of a page"
        echo "      whose </head> is left out: see src/render/minify.rs (keep_closing_tags)."
        exit 1
    fi
}
run_pagefind as-built
run_pagefind mapped --root-selector "[data-search-body]" --exclude-selectors "[data-search-ignore]"

# ------------------------------------------------------------------ checks
python3 - "$PUBLIC" "$OUT/as-built" "$OUT/mapped" <<'EOF'
import gzip, json, os, re, sys, urllib.parse
from html.parser import HTMLParser

public, as_built, mapped = sys.argv[1:4]
failures = []

def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)

def file_of(url):
    """The file under public/ a page's URL is served from; None when there is none. A site
    published under a sub-path has it in its URLs and not in its folder: leading segments are
    dropped until a file is found."""
    path = urllib.parse.unquote(re.sub(r"^[a-z]+://[^/]+", "", url).split("#")[0].split("?")[0])
    segs = [s for s in path.split("/") if s]
    for k in range(len(segs) + 1):
        cand = os.path.join(public, *segs[k:])
        if os.path.isdir(cand):
            cand = os.path.join(cand, "index.html")
        if os.path.isfile(cand):
            return os.path.relpath(cand, public)
    return None

# Vetrina's index: the pages of each language (src/search/format.rs).
vetrina = {}
index_dir = os.path.join(public, "search-index")
for lang in sorted(os.listdir(index_dir)):
    idx = os.path.join(index_dir, lang, "index.json")
    if not os.path.isfile(idx):
        continue
    meta = load_json(idx)
    pages = {}
    for name in meta.get("docs", []):
        for entry in load_json(os.path.join(index_dir, lang, name)):
            url = entry[0] if isinstance(entry, list) and entry else (
                entry.get("url") if isinstance(entry, dict) else None)
            if not isinstance(url, str):
                sys.exit(f"FAIL: {lang}/{name}: an entry without a URL ({entry!r:.80}); "
                         "has the index format (src/search/format.rs) changed?")
            f = file_of(url)
            if f is None:
                failures.append(f"Vetrina's index ({lang}) lists {url}, which no file serves")
            else:
                pages[f] = url
    if not pages:
        failures.append(f"search-index/{lang}: no page read from index.json's \"docs\" files; "
                        "has the index format (src/search/format.rs) changed?")
    if isinstance(meta.get("pages"), int) and meta["pages"] != len(pages):
        failures.append(f"search-index/{lang}/index.json says {meta['pages']} pages, "
                        f"its files of titles list {len(pages)}")
    vetrina[meta.get("lang", lang)] = pages
if not vetrina:
    sys.exit(f"FAIL: no search-index/<lang>/index.json under {public}")

def pagefind_pages(out):
    """Pagefind's pages: language -> {file: text}, from its fragments (gzip, a
    `pagefind_dcd` signature, then JSON), and its page count per language."""
    entry = load_json(os.path.join(out, "pagefind-entry.json"))
    counts = {l: v.get("page_count") for l, v in entry.get("languages", {}).items()}
    pages = {}
    frag_dir = os.path.join(out, "fragment")
    for name in sorted(os.listdir(frag_dir)):
        data = gzip.decompress(open(os.path.join(frag_dir, name), "rb").read())
        data = data[len(b"pagefind_dcd"):] if data.startswith(b"pagefind_dcd") else data
        doc = json.loads(data)
        # `<lang>_<hash>.pf_fragment`
        lang = name.split(".", 1)[0].rsplit("_", 1)[0]
        for d in doc if isinstance(doc, list) else [doc]:
            f = file_of(d["url"])
            pages.setdefault(lang, {})[f or d["url"]] = d.get("content", "")
    for lang, n in counts.items():
        if n != len(pages.get(lang, {})):
            failures.append(f"{out}: Pagefind counts {n} pages in {lang}, "
                            f"its fragments hold {len(pages.get(lang, {}))}")
    return counts, pages

runs = {"as built": pagefind_pages(as_built), "mapped": pagefind_pages(mapped)}

print()
print(f"{'language':<9} {'Vetrina':>8} {'Pagefind as built':>18} {'missing':>8} "
      f"{'Pagefind mapped':>16} {'missing':>8}")
for lang, pages in sorted(vetrina.items()):
    row = [f"{lang:<9}", f"{len(pages):>8}"]
    for (run, (counts, pf)), width in zip(runs.items(), (18, 16)):
        found = pf.get(lang, {})
        missing = sorted(set(pages) - set(found))
        row += [f"{counts.get(lang, 0):>{width}}", f"{len(missing):>8}"]
        for f in missing:
            other = [l for l, p in pf.items() if f in p]
            failures.append(f"Pagefind ({run}) does not index {pages[f]} ({lang})"
                            + (f"; it puts it in {other}" if other else ""))
    print(" ".join(row))
for run, (counts, pf) in runs.items():
    extra = sorted(set(counts) - set(vetrina))
    if extra:
        print(f"Pagefind ({run}) also has languages Vetrina does not index: {extra}")
mapped_extra = sum(len(set(p) - set(vetrina.get(l, {}))) for l, p in runs["mapped"][1].items())
if mapped_extra:
    print(f"note: Pagefind (mapped) indexes {mapped_extra} page(s) Vetrina's index does not")

# The text after each data-search-ignore element, where a browser ends the element (Pagefind,
# a streaming reader, ends it only at its own end tag: without one, it hides what follows).
# Its first words are looked for in Pagefind's text of the page with everything but letters
# and digits taken out: Pagefind puts no space between some elements
# (`<dt>Quando</dt><dd>28 marzo` is its "Quando28 marzo").
AFTER_WORDS = 8

def words(text):
    return re.findall(r"\w+", text.lower())

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
# What Pagefind never indexes (its fossick/parser.rs).
REMOVED = {"head", "style", "script", "noscript", "label", "form", "svg", "footer", "nav",
           "iframe", "template"}
# The end tags HTML lets a page leave out before these start tags (a browser infers them).
ENDS_P = {"address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset",
          "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
          "header", "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre", "section",
          "table", "ul"}
IMPLIED_END = {"p": ENDS_P, "li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"},
               "head": {"body"}}

class Page(HTMLParser):
    """A page as a browser reads it, closing the elements whose end tags HTML lets pages
    leave out, and noting each end tag left out (a streaming tool does not close them)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        # (tag, inside an ignored element, inside the body element, inside a removed one)
        self.stack = []
        self.errors = []
        self.pending = []   # [ignored element just closed, the words after it so far]
        self.after = []     # (an ignored element, the first words after it)
        self.ignored = 0

    def handle_starttag(self, tag, attrs):
        while self.stack and tag in IMPLIED_END.get(self.stack[-1][0], ()):
            self.errors.append(f"<{self.stack[-1][0]}> left open before <{tag}>")
            self.close_top()
        names = {k for k, _ in attrs}
        up = self.stack[-1] if self.stack else ("", False, False, False)
        if tag in VOID:
            return
        self.stack.append((tag, up[1] or "data-search-ignore" in names,
                           up[2] or "data-search-body" in names, up[3] or tag in REMOVED))

    def handle_startendtag(self, tag, attrs):
        pass  # `<path …/>` in SVG: no content

    def handle_endtag(self, tag):
        if not any(t == tag for t, *_ in self.stack):
            self.errors.append(f"</{tag}> with no <{tag}> open")
            return
        while self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> where <{self.stack[-1][0]}> is open")
            self.close_top()
        self.close_top()

    def close_top(self):
        t, ignored, body, _ = self.stack.pop()
        up = self.stack[-1] if self.stack else ("", False, False, False)
        if ignored and not up[1] and body:
            self.ignored += 1
            self.pending.append([f"<{t} data-search-ignore> #{self.ignored}", []])

    def handle_data(self, data):
        if not data.strip() or not self.stack:
            return
        _, ignored, body, removed = self.stack[-1]
        if body and not ignored and not removed:
            for p in self.pending:
                p[1] += words(data)
            self.flush(AFTER_WORDS)

    def flush(self, enough):
        self.after += [(e, w[:AFTER_WORDS]) for e, w in self.pending if len(w) >= enough]
        self.pending = [p for p in self.pending if len(p[1]) < enough]


checked = ignored_total = pages_with = 0
structure = []  # end tags left out: the cause, listed after what they do
mapped_pf = runs["mapped"][1]
for lang, pages in sorted(vetrina.items()):
    for f, url in sorted(pages.items()):
        p = Page()
        with open(os.path.join(public, f), encoding="utf-8") as fh:
            p.feed(fh.read())
        p.close()
        p.flush(1)
        if p.stack:
            p.errors.append(f"still open at the end: {[t[0] for t in p.stack]}")
        for e in p.errors[:3]:
            structure.append(f"{url}: {e} (an end tag left out)")
        ignored_total += p.ignored
        pages_with += bool(p.ignored)
        text = "".join(words(mapped_pf.get(lang, {}).get(f, "")))
        for element, after in p.after:
            checked += 1
            if "".join(after) not in text:
                failures.append(f"{url}: the text after {element}, {' '.join(after)!r}, is "
                                "not in Pagefind's text of the page (hidden with it?)")

print(f"data-search-ignore: {ignored_total} element(s) on {pages_with} page(s); "
      f"the text after {checked} of them checked in Pagefind's text of the page")
failures += structure
if failures:
    print(f"\nFAIL: {len(failures)} finding(s)")
    for f in failures[:40]:
        print(f"  {f}")
    if len(failures) > 40:
        print(f"  … and {len(failures) - 40} more")
    sys.exit(1)
print("pagefind: Pagefind indexes every page Vetrina's search indexes")
EOF
