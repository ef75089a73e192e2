/* Vetrina's search index, read in the browser: an ES module published with the index as
 * search-index/search.js. It fetches the few small files a query needs (never the whole
 * index), and nothing from any other site.
 *
 *   const s = await import(".../search-index/search.js");
 *   await s.options({ baseUrl: "/", index: ".../search-index/it/index.json" });
 *   const found = await s.search("tirocinio Brescia");
 *   found.results.length;                      // every page holding one of the words
 *   found.dropped;                             // words typed that match nothing
 *   found.corrected;                           // [typed, word of the site] one edit apart
 *   found.results[0].facets;                   // { section, regions, projects, year }
 *   const d = await found.results[0].data();   // { url, meta: { title, date }, excerpt, sub }
 *
 * Words are compared as the build folded them: lower case, no accents, no vowel marks,
 * Arabic ة as ه and ى as ي. A query word finds, by weight:
 *   - when it is on the site, the pages of the word itself, and a little lower those of
 *     its stem's other words ("lavori" finds "lavoro");
 *   - when it is not, the pages of its stem by the language's Snowball stemmer
 *     (stem/<lang>.js, the algorithm the index used: "competenza" finds "competenze");
 *   - the pages of the words it begins ("lavor" finds both), or, when neither it nor its
 *     stem is on the site, of the words its stem begins ("carpenters" finds "carpentry");
 *   - for a word of five letters or more that finds nothing, the words of the site one
 *     edit away ("tirocino" → "tirocinio").
 * A word that finds nothing is left out and named in `dropped`. Pages with more of the
 * words come first, then the page the query names (a project's sheet for its key, a
 * region's hub), then those whose title holds more of them, then by score (BM25), then the
 * newest.
 *
 * The excerpt is text of the page, escaped, with <mark> around the words found and the
 * words of their stems (never inside another word): from the short text the index holds
 * when a word is in it, else from the page itself, fetched when its result is shown (the
 * one the reader opens next is then in the browser's cache). When that word comes under a
 * heading with an id, `sub` links to it ({ url: page#id, title }), so that a long page's
 * result leads to the part that matched.
 *
 * Each result carries what its page says of itself (see src/search/facets.rs), so that the
 * search page can filter the results by section, region, project and year, and sort them
 * by date (`date`, yyyymmdd, 0 for none). */
const FOLD = /[\p{M}\u0640]/gu;
const ARABIC = /[\u0629\u0649]/g;
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
/* Scripts written without spaces between words: cut into words by the browser's ICU, as
 * the build cut them by ICU4X's (src/search/text.rs, `segmented`). */
const SEGMENTED = /[\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF\u2E80-\u9FFF\uF900-\uFAFF\uFF66-\uFF9F\u{20000}-\u{3FFFF}]/u;
let segmenter = null;
const EXACT_WEIGHT = 1;
const STEM_WEIGHT = 0.85;
const PREFIX_WEIGHT = 0.6;
const TYPO_WEIGHT = 0.5;
const TYPO_MIN = 5;
const MAX_PREFIX_WORDS = 100;
const MAX_RUNS = 6;
const EXCERPT_WORDS = 30;

/* Elements whose text is not the page's (as the build skips them), and those whose text
 * runs on with the text around them: any other begins and ends a run of text. */
const SKIPPED = new Set(["SCRIPT", "STYLE", "SVG", "TEMPLATE", "NOSCRIPT", "TEXTAREA", "MATH", "IFRAME", "OBJECT", "SELECT", "BUTTON"]);
const HEADING = /^H[2-6]$/;
const INLINE = new Set(["A", "ABBR", "B", "BDI", "BDO", "CITE", "CODE", "DATA", "DFN", "EM", "I", "KBD", "MARK", "Q", "S", "SAMP", "SMALL", "SPAN", "STRONG", "SUB", "SUP", "TIME", "U", "VAR"]);

let baseUrl = "/";
let indexUrl = null;
let meta = null;
const files = new Map();
const texts = new Map();

/* A file of the index. Their names change with their content (but index.json's, fetched
 * afresh once per page: `no-cache` makes the browser ask whether it changed), so a browser
 * never mixes the files of two deploys; a file gone (a deploy since index.json was read)
 * makes `search` read index.json again. */
function get(url, fresh) {
  if (!files.has(url)) {
    const p = fetch(url, fresh ? { cache: "no-cache" } : {}).then((r) => {
      if (!r.ok) throw new Error(`${r.status} ${url}`);
      return r.json();
    });
    p.catch(() => files.delete(url));
    files.set(url, p);
  }
  return files.get(url);
}

export function fold(word) {
  return word.toLowerCase().replace(ARABIC, (c) => (c === "\u0629" ? "\u0647" : "\u064A")).normalize("NFD").replace(FOLD, "");
}

/* The words of a text: { w, at, end }, a run of Chinese, Japanese, Thai… cut into words. */
function tokens(text) {
  const out = [];
  WORD.lastIndex = 0;
  for (let t; (t = WORD.exec(text)); ) {
    if (SEGMENTED.test(t[0]) && typeof Intl.Segmenter === "function") {
      segmenter = segmenter || new Intl.Segmenter(undefined, { granularity: "word" });
      for (const s of segmenter.segment(t[0])) {
        if (s.isWordLike) out.push({ w: s.segment, at: t.index + s.index, end: t.index + s.index + s.segment.length, one: SEGMENTED.test(s.segment) });
      }
    } else {
      out.push({ w: t[0], at: t.index, end: t.index + t[0].length });
    }
  }
  return out;
}

/* The query's words: [folded, lower case as typed (what the stemmer is given)]. */
function terms(text) {
  const seen = new Map();
  for (const { w, one } of tokens(text)) {
    const f = fold(w);
    if (([...f].length >= 2 || (one && f)) && !seen.has(f)) seen.set(f, w.toLowerCase());
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
    meta = get(url, true).then(async (m) => {
      const dir = new URL("./", url);
      // The language's stemmer, where the browser has one; without it, a word's stem is
      // found through the words of the site.
      let stem = null;
      if (m.stemmer) {
        stem = await import(new URL(m.stemmer, dir).href).then((s) => s.stemmer ?? s.stem, () => null);
      }
      return { m, dir, url, stem };
    });
    meta.catch(() => { meta = null; });
  }
  return meta;
}

/* The stem the index would give a word typed (lower case), folded; null without a stemmer. */
function stemOf(index, typed) {
  if (!index.stem) return null;
  let s;
  try {
    s = fold(index.stem(typed));
  } catch {
    return null;
  }
  return [...s].length >= 2 ? s : fold(typed);
}

/* Whether two words are one edit apart (a letter added, left out, changed, or two
 * swapped). */
function oneEdit(a, b) {
  a = [...a];
  b = [...b];
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return false;
  const rest = (x, y) => x.slice(y).join("");
  if (a.length === b.length) {
    if (rest(a, i + 1) === rest(b, i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && rest(a, i + 2) === rest(b, i + 2);
  }
  return a.length > b.length ? rest(a, i + 1) === rest(b, i) : rest(a, i) === rest(b, i + 1);
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

/* The pages of the stems `wanted` (stem → weight): page → { score, title }. `exact` (stem →
 * the number of the word searched for among its stem's words) lowers a page that holds
 * only other words of that stem to a stem's weight. */
async function pagesOfStems(index, wanted, exact) {
  const { m, dir } = index;
  const byFile = new Map();
  for (const stem of wanted.keys()) {
    if (!m.stems.length) break;
    const f = m.stems[runOf(m.stems, stem)][1];
    if (!byFile.has(f)) byFile.set(f, []);
    byFile.get(f).push(stem);
  }
  const pages = new Map();
  const found = new Set();
  await Promise.all([...byFile].map(async ([f, stems]) => {
    const run = await get(new URL(f, dir).href);
    for (const stem of stems) {
      if (!Object.prototype.hasOwnProperty.call(run, stem)) continue;
      found.add(stem);
      const list = run[stem];
      // ["f", page, score, words…] for a stem of several words.
      const several = list[0] === "f";
      const step = several ? 3 : 2;
      const bit = several && exact && exact.has(stem) ? 1 << exact.get(stem) : 0;
      for (let i = several ? 1 : 0; i + 1 < list.length; i += step) {
        let weight = wanted.get(stem);
        if (bit && !(list[i + 2] & bit)) weight = Math.min(weight, STEM_WEIGHT);
        // A negative score: the stem is in the page's title.
        const score = Math.abs(list[i + 1]) * weight;
        const title = list[i + 1] < 0;
        const had = pages.get(list[i]);
        if (!had || had.score < score) pages.set(list[i], { score, title: title || (had ? had.title : false) });
        else if (title) had.title = true;
      }
    }
  }));
  return { pages, found };
}

/* What one query word finds: its pages, the words of the site it matched, their stems,
 * and the word of the site it was taken for when it matched only one edit away. */
async function pagesOf(index, term, typed) {
  const { m, dir } = index;
  const wordRuns = await Promise.all(runsFrom(m.words, term).map((f) => get(new URL(f, dir).href)));
  const wanted = new Map();
  const want = (stem, weight) => {
    if ((wanted.get(stem) || 0) < weight) wanted.set(stem, weight);
  };
  const words = new Set([term]);
  let exact = false;
  const forms = new Map();
  let prefixed = 0;
  for (const run of wordRuns) {
    for (const [w, s, form] of run) {
      if (!w.startsWith(term)) continue;
      if (w === term) {
        exact = true;
        want(s || w, EXACT_WEIGHT);
        if (typeof form === "number" && form < 31) forms.set(s || w, form);
      } else if (++prefixed > MAX_PREFIX_WORDS) {
        continue;
      } else {
        want(s || w, PREFIX_WEIGHT);
      }
      words.add(w);
    }
  }
  if (!exact) {
    // Not on the site: the pages of its stem (the word itself may be a stem).
    want(term, STEM_WEIGHT);
    const stem = stemOf(index, typed);
    if (stem) want(stem, STEM_WEIGHT);
  }
  let { pages, found } = await pagesOfStems(index, wanted, forms);
  const stem = exact ? null : stemOf(index, typed);
  if (!pages.size && stem && [...stem].length >= 4 && stem !== term) {
    // Neither the word nor its stem on the site: the words that begin with its stem
    // ("carpenters", stem "carpent", finds "carpentry").
    const near = new Map();
    const runs = await Promise.all(runsFrom(m.words, stem).map((f) => get(new URL(f, dir).href)));
    for (const run of runs) {
      for (const [w, s] of run) {
        if (w.startsWith(stem) && near.size < MAX_PREFIX_WORDS) {
          near.set(s || w, PREFIX_WEIGHT);
          words.add(w);
        }
      }
    }
    if (near.size) ({ pages, found } = await pagesOfStems(index, near));
  }
  let corrected = null;
  if (!pages.size && [...term].length >= TYPO_MIN) {
    // Nothing: the words of the site one edit away, among those that begin as the word
    // does, or as it would with its first two letters swapped ("itrocinio") or its first
    // letter left out ("ttirocinio"): a word's runs are found by its beginning, and
    // reading every run for a typo in the first letter would cost a phone too much.
    const near = new Map();
    const c = [...term];
    const starts = [...new Set([c[0] + c[1], c[1] + c[0], c[1] + c[2]])];
    const runs = await Promise.all([...new Set(starts.flatMap((st) => runsFrom(m.words, st)))]
      .map((f) => get(new URL(f, dir).href)));
    for (const run of runs) {
      for (const [w, s] of run) {
        if (starts.some((st) => w.startsWith(st)) && oneEdit(term, w)) {
          near.set(s || w, TYPO_WEIGHT);
          words.add(w);
          if (!corrected) corrected = w;
        }
      }
    }
    if (near.size) ({ pages, found } = await pagesOfStems(index, near));
  }
  return { term, pages, words, stems: found, corrected };
}

function escape(s) {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/* Whether a word of a page's text is one found: the same word as one matched, a word of
 * the same stem, or a word that a query word begins (never a query word inside another
 * word: "ora" does not mark "lavoratori"). */
function matcher(index, queryTerms, hits) {
  const stems = [...hits.stems];
  return (word) => {
    const f = fold(word);
    if (hits.words.has(f) || queryTerms.some((q) => f.startsWith(q))) return true;
    if (index.stem) return hits.stems.has(stemOf(index, word.toLowerCase()));
    // No stemmer here: a word that begins with a stem found (of four letters or more).
    return stems.some((s) => s.length >= 4 && f.startsWith(s));
  };
}

/* The excerpt of a text around its first word found, escaped, with <mark>s: { html, at },
 * `at` where in the text that word is (-1 when none is). */
function excerpt(text, hit) {
  const words = tokens(text);
  const marks = words.map((t) => hit(t.w));
  const found = marks.indexOf(true);
  const first = found < 0 ? 0 : found;
  const from = Math.max(0, first - Math.floor(EXCERPT_WORDS / 3));
  const to = Math.min(words.length, from + EXCERPT_WORDS);
  const at = found < 0 ? -1 : words[found].at;
  if (!words.length) return { html: escape(text.slice(0, 200)), at };
  let out = from > 0 ? "… " : "";
  let last = words[from].at;
  for (let i = from; i < to; i++) {
    out += escape(text.slice(last, words[i].at));
    const word = escape(text.slice(words[i].at, words[i].end));
    out += marks[i] ? `<mark>${word}</mark>` : word;
    last = words[i].end;
  }
  if (to < words.length) out += " …";
  else out += escape(text.slice(last));
  return { html: out, at };
}

function hasHit(text, hit) {
  return tokens(text).some((t) => hit(t.w));
}

/* The text the build indexed, from a page: its element marked data-search-body less what
 * is marked data-search-ignore and less its first <h1> (the result's title), with the
 * pictures' alternative texts, white space collapsed; and its headings with an id,
 * { at, id, title }, `at` where the heading begins in the text. */
export function textAndHeadings(doc) {
  let out = "";
  let space = false;
  const add = (s) => {
    for (const piece of s.split(/(\s+)/)) {
      if (!piece) continue;
      if (/^\s+$/.test(piece)) {
        space = true;
        continue;
      }
      if (space && out) out += " ";
      space = false;
      out += piece;
    }
  };
  const headings = [];
  let title = true;
  const walk = (node) => {
    for (let n = node.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === Node.TEXT_NODE) {
        add(n.data);
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
        add(` ${n.getAttribute("alt") || ""} `);
        continue;
      }
      const block = !INLINE.has(tag);
      if (block) space = true;
      if (HEADING.test(tag) && n.id) {
        const text = n.textContent.replace(/\s+/g, " ").trim();
        if (text) headings.push({ at: out.length + (space && out ? 1 : 0), id: n.id, title: text });
      }
      walk(n);
      if (block) space = true;
    }
  };
  walk(doc.querySelector("[data-search-body]") || doc.body);
  return { text: out, headings };
}

/* The text the build indexed, from a page (see textAndHeadings). */
export function textOf(doc) {
  return textAndHeadings(doc).text;
}

/* A page's text and headings, fetched once. */
function pageText(url) {
  if (!texts.has(url)) {
    const p = fetch(url)
      .then((r) => {
        if (!r.ok) throw new Error(`${r.status} ${url}`);
        return r.text();
      })
      .then((html) => textAndHeadings(new DOMParser().parseFromString(html, "text/html")));
    p.catch(() => texts.delete(url));
    texts.set(url, p);
  }
  return texts.get(url);
}

/* The heading a match at `at` of a page's text falls under: the last that begins before
 * it; none when the match comes before every heading. */
function headingOf(headings, at) {
  let found = null;
  for (const h of headings || []) {
    if (h.at > at) break;
    found = h;
  }
  return found;
}

async function pageData(index, page, hit) {
  const { m, dir } = index;
  const run = await get(new URL(m.docs[Math.floor(page / m.per_doc)], dir).href);
  const [path, title, given, whole, marks] = run[page % m.per_doc];
  const url = baseUrl.replace(/\/$/, "") + path;
  // The text the index gives, when a word found is in it (or it is all there is: a page
  // too large to fetch, given with its headings); else the page's. A page that cannot be
  // had now (offline) is still a result, with what the index gives.
  let text = given || "";
  let headings = whole && Array.isArray(marks) ? marks.map(([at, id, t]) => ({ at, id, title: t })) : [];
  if (!whole && !hasHit(text, hit)) {
    ({ text, headings } = await pageText(url).catch(() => ({ text, headings })));
  }
  const day = m.dates ? m.dates[page] : 0;
  const cut = text ? excerpt(text, hit) : { html: "", at: -1 };
  // A match under a heading: the result links there too.
  const h = cut.at >= 0 ? headingOf(headings, cut.at) : null;
  return {
    url,
    // yyyymmdd, or yyyymm00 for a page dated by its month only.
    meta: { title, date: day ? `${String(day).slice(0, 4)}-${String(day).slice(4, 6)}${day % 100 ? `-${String(day).slice(6, 8)}` : ""}` : null },
    excerpt: cut.html,
    sub: h ? { url: `${url}#${encodeURIComponent(h.id)}`, title: h.title } : null,
  };
}

/* What a page says of itself, for the filters: its section, the keys of its regions and
 * projects, and its year (from its date). */
function facetsOf(m, page) {
  const day = m.dates ? m.dates[page] : 0;
  const year = day ? String(day).slice(0, 4) : null;
  const f = m.facets;
  const set = f && f.sets && f.pages ? f.sets[f.pages[page]] : null;
  if (!set) return { section: null, regions: [], projects: [], year };
  const [s, r, p] = set;
  return {
    section: s >= 0 ? f.section[s] : null,
    regions: r.map((i) => f.region[i]),
    projects: p.map((i) => f.project[i]),
    year,
  };
}

/* Whether a page is the one the query names: a project sheet or a region hub whose key's
 * words (`prima-il-lavoro`, `puglia`) are all words of the query. 1 or 0. */
function subjects(m, queryTerms) {
  const f = m.facets;
  if (!f || !f.sets) return () => 0;
  const words = new Set(queryTerms);
  // Short words of a key ("il", "d") need not be typed.
  const keys = (list) => list.map((k) => k.split(/[-_]/).every((w) => w.length < 3 || words.has(fold(w))));
  const project = keys(f.project);
  const region = keys(f.region);
  const sets = f.sets.map(([s, r, p]) => {
    const section = s >= 0 ? f.section[s] : null;
    if (section === "projects" && p.length === 1) return project[p[0]] ? 1 : 0;
    if (section === "regions" && r.length === 1) return region[r[0]] ? 1 : 0;
    return 0;
  });
  return (page) => sets[f.pages[page]] || 0;
}

async function run(query) {
  const index = await loadMeta();
  const queryTerms = terms(query || "");
  if (!queryTerms.length) return { results: [], dropped: [], corrected: [] };
  const each = await Promise.all(queryTerms.map(([t, typed]) => pagesOf(index, t, typed)));
  const hits = { words: new Set(), stems: new Set() };
  const pages = new Map();
  const dropped = [];
  const corrected = [];
  for (const found of each) {
    if (!found.pages.size) {
      dropped.push(found.term);
      continue;
    }
    if (found.corrected) corrected.push([found.term, found.corrected]);
    found.words.forEach((w) => hits.words.add(w));
    found.stems.forEach((s) => hits.stems.add(s));
    for (const [p, { score, title }] of found.pages) {
      const r = pages.get(p) || { n: 0, t: 0, score: 0 };
      r.n += 1;
      r.t += title ? 1 : 0;
      r.score += score;
      pages.set(p, r);
    }
  }
  const dates = index.m.dates || [];
  const named = subjects(index.m, queryTerms.map(([t]) => t));
  // More words first, then the page the query names (a project's sheet or a region's hub:
  // "PUOI", "progetto PUOI", "Puglia"), then more of the words in the title, then the
  // score, then the newest.
  const ranked = [...pages].sort((a, b) => b[1].n - a[1].n || named(b[0]) - named(a[0]) || b[1].t - a[1].t
    || b[1].score - a[1].score || (dates[b[0]] || 0) - (dates[a[0]] || 0) || a[0] - b[0]);
  const hit = matcher(index, queryTerms.map(([t]) => t), hits);
  return {
    results: ranked.map(([page, r]) => ({
      id: page,
      score: r.score,
      words: r.n,
      date: dates[page] || 0,
      facets: facetsOf(index.m, page),
      data: () => pageData(index, page, hit),
    })),
    dropped,
    corrected,
  };
}

export async function search(query) {
  try {
    return await run(query);
  } catch (e) {
    // A file gone: a deploy since index.json was read. Read it again, once.
    meta = null;
    files.clear();
    return run(query);
  }
}
