/* Vetrina's search index, read in the browser: an ES module published with the index as
 * search-index/search.js. It fetches the few small files a query needs (never the whole
 * index), and nothing from any other site.
 *
 *   const s = await import(".../search-index/search.js");
 *   await s.options({ baseUrl: "/", index: ".../search-index/it/index.json" });
 *   const found = await s.search("tirocinio Brescia");
 *   found.results.length;                      // every page holding all the words
 *   const d = await found.results[0].data();   // { url, meta: { title }, excerpt }
 *
 * The excerpt is the page's own text, escaped, with <mark> around the words found: the
 * page is fetched for it (the one the reader opens next is then in the browser's cache),
 * unless the index gives its text (a page too large to fetch for three lines).
 * Words are compared as the build folded them: lower case, no accents, no vowel marks. A
 * query word finds the pages of the stem of the same word in the index (so "lavori" finds
 * "lavoro") and, with less weight, of the words it begins (so "lavor" finds both). */
const FOLD = /[\p{M}\u0640]/gu;
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const PREFIX_WEIGHT = 0.6;
const MAX_PREFIX_WORDS = 100;
const MAX_RUNS = 6;
const EXCERPT_WORDS = 30;

/* Elements whose text is not the page's (as the build skips them), and those whose text
 * runs on with the text around them: any other begins and ends a run of text. */
const SKIPPED = new Set(["SCRIPT", "STYLE", "SVG", "TEMPLATE", "NOSCRIPT", "TEXTAREA", "MATH", "IFRAME", "OBJECT", "SELECT", "BUTTON"]);
const INLINE = new Set(["A", "ABBR", "B", "BDI", "BDO", "CITE", "CODE", "DATA", "DFN", "EM", "I", "KBD", "MARK", "Q", "S", "SAMP", "SMALL", "SPAN", "STRONG", "SUB", "SUP", "TIME", "U", "VAR"]);

let baseUrl = "/";
let indexUrl = null;
let meta = null;
const files = new Map();
const texts = new Map();

function get(url) {
  if (!files.has(url)) {
    const p = fetch(url).then((r) => {
      if (!r.ok) throw new Error(`${r.status} ${url}`);
      return r.json();
    });
    p.catch(() => files.delete(url));
    files.set(url, p);
  }
  return files.get(url);
}

export function fold(word) {
  return word.toLowerCase().normalize("NFD").replace(FOLD, "");
}

function terms(text) {
  const seen = new Set();
  for (const w of text.match(WORD) || []) {
    const f = fold(w);
    if ([...f].length >= 2) seen.add(f);
  }
  return [...seen];
}

export async function options(o) {
  if (o && o.baseUrl) baseUrl = o.baseUrl;
  if (o && o.index) {
    indexUrl = new URL(o.index, document.baseURI).href;
    meta = null;
  }
}

function loadMeta() {
  if (!meta) {
    const url = indexUrl || new URL(`${document.documentElement.lang}/index.json`, import.meta.url).href;
    meta = get(url).then((m) => ({ m, dir: new URL("./", url) }));
    meta.catch(() => { meta = null; });
  }
  return meta;
}

/* The index of the last run whose first key is at or before `key`. */
function runOf(runs, key) {
  let lo = 0;
  let hi = runs.length - 1;
  let at = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (runs[mid][0] <= key) {
      at = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return at;
}

/* The runs that may hold keys beginning with `prefix`. */
function runsFrom(runs, prefix) {
  if (!runs.length) return [];
  const out = [runOf(runs, prefix)];
  for (let i = out[0] + 1; i < runs.length && out.length < MAX_RUNS; i++) {
    if (!runs[i][0].startsWith(prefix)) break;
    out.push(i);
  }
  return out.map((i) => runs[i][1]);
}

async function pagesOf(index, term) {
  const { m, dir } = index;
  const wordFiles = runsFrom(m.words, term);
  const [wordRuns, stemRun] = await Promise.all([
    Promise.all(wordFiles.map((f) => get(new URL(f, dir).href))),
    m.stems.length ? get(new URL(m.stems[runOf(m.stems, term)][1], dir).href) : {},
  ]);
  const wanted = new Map();
  const words = new Set([term]);
  if (Object.prototype.hasOwnProperty.call(stemRun, term)) wanted.set(term, 1);
  let prefixed = 0;
  for (const run of wordRuns) {
    for (const [w, s] of run) {
      if (!w.startsWith(term)) continue;
      const exact = w === term;
      if (!exact && ++prefixed > MAX_PREFIX_WORDS) continue;
      const stem = s || w;
      const weight = exact ? 1 : PREFIX_WEIGHT;
      if ((wanted.get(stem) || 0) < weight) wanted.set(stem, weight);
      words.add(w);
    }
  }
  const byFile = new Map();
  for (const stem of wanted.keys()) {
    const f = m.stems[runOf(m.stems, stem)][1];
    if (!byFile.has(f)) byFile.set(f, []);
    byFile.get(f).push(stem);
  }
  const pages = new Map();
  await Promise.all([...byFile].map(async ([f, stems]) => {
    const run = await get(new URL(f, dir).href);
    for (const stem of stems) {
      const list = run[stem];
      if (!list) continue;
      const weight = wanted.get(stem);
      for (let i = 0; i + 1 < list.length; i += 2) {
        const score = list[i + 1] * weight;
        if ((pages.get(list[i]) || 0) < score) pages.set(list[i], score);
      }
    }
  }));
  return { pages, words };
}

function escape(s) {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function excerpt(text, queryTerms, found) {
  const tokens = [];
  WORD.lastIndex = 0;
  for (let t; (t = WORD.exec(text)); ) tokens.push({ at: t.index, end: t.index + t[0].length, f: fold(t[0]) });
  const hit = (f) => found.has(f) || queryTerms.some((q) => f.startsWith(q) || (q.length >= 3 && f.includes(q)));
  const marks = tokens.map((t) => hit(t.f));
  let first = marks.indexOf(true);
  if (first < 0) first = 0;
  const from = Math.max(0, first - Math.floor(EXCERPT_WORDS / 3));
  const to = Math.min(tokens.length, from + EXCERPT_WORDS);
  if (!tokens.length) return escape(text.slice(0, 200));
  let out = from > 0 ? "… " : "";
  let at = tokens[from].at;
  for (let i = from; i < to; i++) {
    out += escape(text.slice(at, tokens[i].at));
    const word = escape(text.slice(tokens[i].at, tokens[i].end));
    out += marks[i] ? `<mark>${word}</mark>` : word;
    at = tokens[i].end;
  }
  if (to < tokens.length) out += " …";
  else out += escape(text.slice(at));
  return out;
}

/* The text the build indexed, from a page: its element marked data-search-body less what
 * is marked data-search-ignore and less its first <h1> (the result's title), with the
 * pictures' alternative texts. */
export function textOf(doc) {
  const parts = [];
  let title = true;
  const walk = (node) => {
    for (let n = node.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === Node.TEXT_NODE) {
        parts.push(n.data);
        continue;
      }
      if (n.nodeType !== Node.ELEMENT_NODE || n.hasAttribute("data-search-ignore")) continue;
      const tag = n.tagName.toUpperCase();
      if (SKIPPED.has(tag)) continue;
      if (tag === "H1" && title) {
        title = false;
        continue;
      }
      if (tag === "IMG") {
        parts.push(` ${n.getAttribute("alt") || ""} `);
        continue;
      }
      const block = !INLINE.has(tag);
      if (block) parts.push(" ");
      walk(n);
      if (block) parts.push(" ");
    }
  };
  walk(doc.querySelector("[data-search-body]") || doc.body);
  return parts.join("").replace(/\s+/g, " ").trim();
}

function pageText(url) {
  if (!texts.has(url)) {
    const p = fetch(url)
      .then((r) => {
        if (!r.ok) throw new Error(`${r.status} ${url}`);
        return r.text();
      })
      .then((html) => textOf(new DOMParser().parseFromString(html, "text/html")));
    p.catch(() => texts.delete(url));
    texts.set(url, p);
  }
  return texts.get(url);
}

async function pageData(index, page, queryTerms, found) {
  const { m, dir } = index;
  const run = await get(new URL(m.docs[Math.floor(page / m.per_doc)], dir).href);
  const [path, title, given] = run[page % m.per_doc];
  const url = baseUrl.replace(/\/$/, "") + path;
  // A page that cannot be had now (offline) is still a result, with its title alone.
  const text = given !== undefined ? given : await pageText(url).catch(() => "");
  return {
    url,
    meta: { title },
    excerpt: text ? excerpt(text, queryTerms, found) : "",
  };
}

export async function search(query) {
  const index = await loadMeta();
  const queryTerms = terms(query || "");
  if (!queryTerms.length) return { results: [] };
  const each = await Promise.all(queryTerms.map((t) => pagesOf(index, t)));
  let scores = null;
  const found = new Set();
  for (const { pages, words } of each) {
    words.forEach((w) => found.add(w));
    if (!scores) {
      scores = pages;
      continue;
    }
    const both = new Map();
    for (const [p, s] of scores) {
      const o = pages.get(p);
      if (o !== undefined) both.set(p, s + o);
    }
    scores = both;
  }
  const ranked = [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return {
    results: ranked.map(([page, score]) => ({
      id: page,
      score,
      data: () => pageData(index, page, queryTerms, found),
    })),
  };
}
