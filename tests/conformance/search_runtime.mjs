// Checks the search index of a built site as a browser reads it: the module
// search-index/search.js, in headless Chromium, given each language's index, answers
// queries the way a reader expects (stems, accents, Arabic articles, word beginnings, every
// word of a query, excerpts with <mark> cut from the pages themselves). The site is served
// from 127.0.0.1; nothing may be fetched from anywhere else.
//
//   node tests/conformance/search_runtime.mjs --public public
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { HOST, startServer } from './static_server.mjs';

const args = process.argv.slice(2);
const pub = path.resolve(args[args.indexOf('--public') + 1] || 'public');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// The runtime's own folding, for the checks' expectations.
const { fold } = await import(pathToFileURL(path.join(pub, 'search-index/search.js')).href);

const server = await startServer(pub);
const origin = `http://${HOST}:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
});
const page = await browser.newPage();
let fetched = 0;
let failures = 0;
const fail = (msg) => { failures++; console.log(`FAIL ${msg}`); };
await page.route((url) => !url.toString().startsWith(origin), (route) => {
  fail(`a request left the site: ${route.request().url()}`);
  return route.abort('blockedbyclient');
});
page.on('request', (req) => { if (req.resourceType() === 'fetch') fetched++; });
page.on('pageerror', (e) => fail(`script error: ${e.message}`));
await page.goto(`${origin}/404.html`);
await page.evaluate(async () => { window.engine = await import('/search-index/search.js'); });

// The first ten results of `q` in `lang` with their titles and excerpts, the count of all,
// and how many files were fetched for them.
async function query(lang, q, all = false) {
  const before = fetched;
  const r = await page.evaluate(async ({ lang, q, all }) => {
    await engine.options({ baseUrl: '/', index: `/search-index/${lang}/index.json` });
    const found = await engine.search(q);
    const top = await Promise.all(found.results.slice(0, all ? undefined : 10).map((r) => r.data()));
    return { n: found.results.length, top, dropped: found.dropped, corrected: found.corrected };
  }, { lang, q, all });
  return { ...r, files: fetched - before };
}
// Every indexed page of a language with its title and text, the text as the browser takes
// it from the page (or as the index gives it, for a large page).
const texts = new Map();
async function pagesOf(lang) {
  if (!texts.has(lang)) {
    texts.set(lang, await page.evaluate(async (lang) => {
      const dir = `/search-index/${lang}/`;
      const meta = await (await fetch(dir + 'index.json')).json();
      const out = [];
      for (const f of meta.docs) {
        for (const [url, title, text, whole] of await (await fetch(dir + f)).json()) {
          const body = whole ? text
            : engine.textOf(new DOMParser().parseFromString(await (await fetch(url)).text(), 'text/html'));
          out.push([url, title, body]);
        }
      }
      return out;
    }, lang));
  }
  return texts.get(lang);
}
// Every page whose title or indexed text holds a word that passes `test` (folded).
async function pagesWith(lang, test) {
  return (await pagesOf(lang))
    .filter(([, title, text]) => (`${title} ${text}`.match(/[\p{L}\p{N}\p{M}]+/gu) || []).some((w) => test(fold(w))))
    .map(([url]) => url);
}

// 0. The text taken from a page is its indexed element's, less what is ignored and its title.
{
  const [url, title, text] = (await pagesOf('it')).find(([u]) => u === '/progetti/puoi/');
  const html = fs.readFileSync(path.join(pub, 'progetti/puoi/index.html'), 'utf8');
  if (!text || !html.includes('data-search-body')) fail(`it: no text taken from ${url}`);
  // The sheet's kicker is followed by its <h1>, which is the title, not the text.
  if (!text.startsWith('Scheda progetto · nazionale ')) fail(`it: the text of ${url} begins "${text.slice(0, 40)}"`);
  if (text.includes(`nazionale ${title}`)) fail(`it: the text of ${url} holds its title "${title}"`);
  // What is marked data-search-ignore (the list of the project's stories), and what is
  // outside <main>, is not.
  if (!html.includes('Storie del progetto') || text.includes('Storie del progetto')) fail(`it: the text of ${url} holds its list of stories`);
  if (/Vai al contenuto/.test(text)) fail(`it: the text of ${url} holds the skip link`);
  console.log(`it: ${url} gives ${text.length} characters of text`);
}

// 1. A project's acronym is found in every language, its sheet among the results, with a
//    title and an excerpt that marks it.
for (const [lang, sheet] of [['it', '/progetti/puoi/'], ['en', '/en/projects/puoi/'], ['fr', '/fr/projets/puoi/'], ['ar', '/ar/projects/puoi/']]) {
  const r = await query(lang, 'PUOI');
  const expected = (await pagesWith(lang, (w) => w.startsWith('puoi'))).length;
  // At least those: Italian stems "puoi" as the verb, so pages with "può" are found too.
  if (r.n < expected) fail(`${lang} PUOI: ${r.n} results, ${expected} pages hold the word`);
  const urls = (await query(lang, 'PUOI', true)).top.map((d) => d.url);
  if (!urls.includes(sheet)) fail(`${lang} PUOI: the project sheet ${sheet} is not among the results`);
  if (!r.top[0] || !r.top[0].meta.title) fail(`${lang} PUOI: the first result has no title`);
  if (!r.top.every((d) => /<mark>PUOI<\/mark>/i.test(d.excerpt))) fail(`${lang} PUOI: an excerpt does not mark the word`);
  if (r.top.some((d) => /<(?!\/?mark>)/.test(d.excerpt))) fail(`${lang} PUOI: an excerpt holds markup other than <mark>`);
  console.log(`${lang} "PUOI": ${r.n} results, first ${r.top[0] && r.top[0].url}, ${r.files} files fetched`);
}

// 2. Stems: a form of a word finds the pages of its other forms.
{
  const r = await query('it', 'lavori');
  const withLavoro = await pagesWith('it', (w) => w === 'lavoro');
  const urls = new Set((await query('it', 'lavori', true)).top.map((d) => d.url));
  const missing = withLavoro.filter((u) => !urls.has(u));
  if (!withLavoro.length || missing.length) fail(`it "lavori": ${missing.length} of ${withLavoro.length} pages with "lavoro" not found`);
  console.log(`it "lavori": ${r.n} results (pages with "lavoro": ${withLavoro.length})`);
}

// 3. Accents: "citta" finds "città"; a word's beginning finds the whole word.
{
  const r = await query('it', 'citta');
  const expected = await pagesWith('it', (w) => w.startsWith('citt'));
  if (!r.n || r.n > expected.length) fail(`it "citta": ${r.n} results, ${expected.length} pages with "citt…"`);
  if (!r.top.some((d) => /<mark>città<\/mark>/i.test(d.excerpt))) fail('it "citta": no excerpt marks "città"');
  const p = await query('it', 'tiroc');
  const tiroc = (await pagesWith('it', (w) => w.startsWith('tiroc'))).length;
  if (p.n !== tiroc) fail(`it "tiroc": ${p.n} results, ${tiroc} pages hold a word beginning so`);
  console.log(`it "citta": ${r.n} results; "tiroc": ${p.n} results`);
}

// 4. Arabic: the article and prepositions are no part of the word looked for.
{
  const r = await query('ar', 'عمل');
  const withWord = await pagesWith('ar', (w) => w === 'العمل' || w === 'بالعمل');
  if (!withWord.length || r.n < withWord.length) fail(`ar "عمل": ${r.n} results, ${withWord.length} pages with "العمل"/"بالعمل"`);
  console.log(`ar "عمل": ${r.n} results (pages with العمل or بالعمل: ${withWord.length})`);
}

// 5. Two words: the pages with both come first, then those with one; a word the site does
//    not have is left out and named, and finds nothing alone.
{
  const a = (await query('en', 'internship')).n;
  const b = (await query('en', 'kitchen')).n;
  const both = await query('en', 'kitchen internship', true);
  const kitchen = await pagesWith('en', (w) => w.startsWith('kitchen'));
  const expected = (await pagesWith('en', (w) => w.startsWith('internship'))).filter((u) => kitchen.includes(u));
  const first = both.top.slice(0, expected.length).map((d) => d.url);
  if (!expected.length || expected.some((u) => !first.includes(u))) fail(`en "kitchen internship": the ${expected.length} pages with both words are not first (${first.join(' ')})`);
  if (both.n < Math.max(a, b)) fail(`en "kitchen internship": ${both.n} results, fewer than for one word (kitchen ${b}, internship ${a})`);
  const none = await query('fr', 'xqzwv');
  if (none.n !== 0) fail(`fr "xqzwv": ${none.n} results`);
  const empty = await query('fr', ' ');
  if (empty.n !== 0) fail(`an empty query: ${empty.n} results`);
  console.log(`en "kitchen internship": ${both.n} (kitchen ${b}, internship ${a}); a word not on the site: 0`);
}

// 6. Forms of a word absent from the site find the pages of its stem (the browser stems
//    the query with the index's Snowball algorithm); a misspelling one letter off finds the
//    word; Arabic spelling variants find the word; nothing is dropped that the site has.
for (const [lang, q, stem] of [['it', 'competenza', 'competenz'], ['it', 'migrante', 'migrant'], ['it', 'ristoranti', 'ristor'],
  ['fr', 'emplois', 'emploi'], ['ar', 'الموحده', 'الموحد'], ['ar', 'مهاجرين', 'مهاجر'],
  // Neither the word nor its stem (Porter2 "carpent") on the site: the words it begins.
  ['en', 'carpenters', 'carpent']]) {
  const r = await query(lang, q, true);
  const expected = await pagesWith(lang, (w) => w.startsWith(stem) || w.includes(stem));
  if (!r.n) fail(`${lang} "${q}": no result (pages with "${stem}…": ${expected.length})`);
  if (r.dropped.length) fail(`${lang} "${q}": dropped ${r.dropped.join(' ')}`);
  console.log(`${lang} "${q}": ${r.n} results, first ${r.top[0] && r.top[0].url} (pages with "${stem}": ${expected.length})`);
}
{
  // "tirocino" has the stem of "tirocinio" ("tirocin"); "tirocimio" is one letter off,
  // "itrocinio" too (its first two letters swapped).
  for (const q of ['tirocino', 'tirocimio', 'itrocinio']) {
    const r = await query('it', q, true);
    if (!r.n || r.dropped.length) fail(`it "${q}": ${r.n} results, dropped ${r.dropped}`);
    if (q !== 'tirocino' && !r.corrected.some(([, w]) => w === 'tirocinio')) fail(`it "${q}": corrected ${JSON.stringify(r.corrected)}`);
    if (r.top[0] && !/tirocini/i.test(r.top[0].meta.title)) fail(`it "${q}": the first result is "${r.top[0].meta.title}"`);
    console.log(`it "${q}": ${r.n} results, first "${r.top[0] && r.top[0].meta.title}"`);
  }
  const puoi = await query('ar', 'الموحّدة');
  const titled = puoi.top.slice(0, 3).filter((d) => fold(d.meta.title).includes(fold('الموحّدة')));
  if (!titled.length) fail(`ar "الموحّدة": no page titled with the word among the first three (${puoi.top.slice(0, 3).map((d) => d.meta.title).join(' | ')})`);
  const t = await query('it', 'tirocinio');
  if (!/tirocini/i.test(t.top[0].meta.title)) fail(`it "tirocinio": the first result is "${t.top[0].meta.title}"`);
  console.log(`ar "الموحّدة": "${puoi.top[0].meta.title}" first; it "tirocinio": "${t.top[0].meta.title}" first`);
}
// 7. Two words: the pages with both first; a word found nowhere is left out and named.
{
  const r = await query('it', 'mediatori italiano', true);
  const mediat = await pagesWith('it', (w) => w.startsWith('mediator'));
  const both = (await pagesWith('it', (w) => w.startsWith('italian'))).filter((u) => mediat.includes(u));
  const first = r.top.slice(0, both.length).map((d) => d.url);
  if (!both.length || both.some((u) => !first.includes(u)) || r.n <= both.length) fail(`it "mediatori italiano": the ${both.length} pages with both are not first, of ${r.n}`);
  // The demo has "interculturale", not "culturale": the word is named, not a dead end.
  const x = await query('it', 'mediatore culturale');
  if (!x.n || x.dropped.join() !== 'culturale') fail(`it "mediatore culturale": ${x.n} results, dropped ${x.dropped}`);
  console.log(`it "mediatori italiano": ${r.n} results, ${both.length} with both first; "mediatore culturale": ${x.n}, dropped ${x.dropped}`);
}
// 8. Highlighting: words of the same stem are marked, never a word inside another.
{
  const r = await query('it', 'ora', true);
  const inside = r.top.filter((d) => /\p{L}<mark>|<\/mark>\p{L}/u.test(d.excerpt) || /<mark>lavorat/i.test(d.excerpt));
  if (inside.length) fail(`it "ora": a mark inside a word: ${inside[0].excerpt}`);
  const l = await query('it', 'lavori');
  if (!l.top.some((d) => /<mark>lavoro<\/mark>/i.test(d.excerpt))) fail('it "lavori": no excerpt marks "lavoro"');
  console.log(`it "ora": ${r.n} results, no mark inside a word; "lavori" marks "lavoro"`);
}
// 9. A deploy while the page is open: index.json names new files and the old are gone
//    (here: every file of the language's index served under a new name, the old names
//    answering 404). A page that read index.json before the deploy asks for an old file,
//    reads index.json again, once, and answers as before.
{
  const fresh = await browser.newPage();
  fresh.on('pageerror', (e) => fail(`script error: ${e.message}`));
  await fresh.goto(`${origin}/404.html`);
  const ask = (q) => fresh.evaluate(async (q) => {
    const found = await engine.search(q);
    const top = await Promise.all(found.results.slice(0, 3).map((r) => r.data()));
    return { n: found.results.length, top: top.map((d) => d.url) };
  }, q);
  await fresh.evaluate(async () => {
    window.engine = await import('/search-index/search.js');
    await engine.options({ baseUrl: '/', index: '/search-index/it/index.json' });
    await engine.search('');
  });
  const expected = await query('it', 'falegnameria');
  let deployed = true;
  const asked = [];
  await fresh.route(/\/search-index\/it\//, async (route) => {
    const url = new URL(route.request().url());
    const name = url.pathname.split('/').pop();
    asked.push(name);
    if (!deployed) return route.continue();
    if (name === 'index.json') {
      const meta = await (await route.fetch()).json();
      const renamed = (f) => `new-${f}`;
      meta.words = meta.words.map(([w, f]) => [w, renamed(f)]);
      meta.stems = meta.stems.map(([w, f]) => [w, renamed(f)]);
      meta.docs = meta.docs.map(renamed);
      return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(meta) });
    }
    if (name.startsWith('new-')) {
      const resp = await route.fetch({ url: new URL(url.pathname.replace(/new-([^/]+)$/, '$1'), origin).href });
      return route.fulfill({ response: resp });
    }
    return route.fulfill({ status: 404, body: 'gone' });
  });
  const after = await ask('falegnameria');
  deployed = false;
  await fresh.close();
  if (after.n !== expected.n || after.top[0] !== expected.top[0]?.url) fail(`a deploy while the page was open: "falegnameria" gave ${after.n} results (${after.top[0]}), not ${expected.n}`);
  const old = asked.filter((n) => !n.startsWith('new-') && n !== 'index.json');
  if (!old.length || asked.filter((n) => n === 'index.json').length !== 1 || !asked.some((n) => n.startsWith('new-'))) {
    fail(`a deploy while the page was open: not one old file, index.json once, then the new files (${asked.join(' ')})`);
  }
  console.log(`a deploy while the page was open: ${asked.join(' → ')}; "falegnameria" ${after.n} result(s) as before`);
}

await browser.close();
server.close();
console.log(failures ? `search runtime: ${failures} failure(s)` : 'search runtime: all checks passed');
process.exit(failures ? 1 : 0);
