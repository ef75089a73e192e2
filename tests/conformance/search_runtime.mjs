// Checks the search index of a built site as the browser reads it: the module
// search-index/search.js, given each language's index, answers queries the way a reader
// expects (stems, accents, Arabic articles, word beginnings, every word of a query, excerpts
// with <mark>). Files are read from the built folder through a stand-in for fetch.
//
//   node tests/conformance/search_runtime.mjs --public public
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const pub = path.resolve(args[args.indexOf('--public') + 1] || 'public');
const ORIGIN = 'http://vetrina.test';
let fetched = 0;
globalThis.document = { baseURI: `${ORIGIN}/`, documentElement: { lang: 'it' } };
globalThis.fetch = async (url) => {
  const u = new URL(url);
  if (u.origin !== ORIGIN) throw new Error(`a request left the site: ${url}`);
  const file = path.join(pub, decodeURIComponent(u.pathname));
  fetched++;
  const ok = fs.existsSync(file) && fs.statSync(file).isFile();
  return { ok, status: ok ? 200 : 404, json: async () => JSON.parse(fs.readFileSync(file, 'utf8')) };
};
const engine = await import(pathToFileURL(path.join(pub, 'search-index/search.js')).href);

let failures = 0;
const fail = (msg) => { failures++; console.log(`FAIL ${msg}`); };
async function query(lang, q) {
  await engine.options({ baseUrl: '/', index: `${ORIGIN}/search-index/${lang}/index.json` });
  const before = fetched;
  const found = await engine.search(q);
  const top = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
  return { n: found.results.length, top, files: fetched - before };
}
// Every page whose title or indexed text holds a word that passes `test` (folded).
function pagesWith(lang, test) {
  const meta = JSON.parse(fs.readFileSync(path.join(pub, 'search-index', lang, 'index.json'), 'utf8'));
  const urls = [];
  for (const f of meta.docs) {
    for (const [url, title, text] of JSON.parse(fs.readFileSync(path.join(pub, 'search-index', lang, f), 'utf8'))) {
      if ((`${title} ${text}`.match(/[\p{L}\p{N}\p{M}]+/gu) || []).some((w) => test(engine.fold(w)))) urls.push(url);
    }
  }
  return urls;
}

// 1. A project's acronym is found in every language, its sheet among the results, with a
//    title and an excerpt that marks it.
for (const [lang, sheet] of [['it', '/progetti/puoi/'], ['en', '/en/projects/puoi/'], ['fr', '/fr/projets/puoi/'], ['ar', '/ar/projects/puoi/']]) {
  const r = await query(lang, 'PUOI');
  const expected = pagesWith(lang, (w) => w.startsWith('puoi')).length;
  // At least those: Italian stems "puoi" as the verb, so pages with "può" are found too.
  if (r.n < expected) fail(`${lang} PUOI: ${r.n} results, ${expected} pages hold the word`);
  const all = await engine.search('PUOI');
  const urls = await Promise.all(all.results.map((x) => x.data().then((d) => d.url)));
  if (!urls.includes(sheet)) fail(`${lang} PUOI: the project sheet ${sheet} is not among the results`);
  if (!r.top[0] || !r.top[0].meta.title) fail(`${lang} PUOI: the first result has no title`);
  if (!r.top.every((d) => /<mark>PUOI<\/mark>/i.test(d.excerpt))) fail(`${lang} PUOI: an excerpt does not mark the word`);
  if (r.top.some((d) => /<(?!\/?mark>)/.test(d.excerpt))) fail(`${lang} PUOI: an excerpt holds markup other than <mark>`);
  console.log(`${lang} "PUOI": ${r.n} results, first ${r.top[0] && r.top[0].url}, ${r.files} files fetched`);
}

// 2. Stems: a form of a word finds the pages of its other forms.
{
  const r = await query('it', 'lavori');
  const withLavoro = pagesWith('it', (w) => w === 'lavoro');
  const urls = new Set((await Promise.all((await engine.search('lavori')).results.map((x) => x.data()))).map((d) => d.url));
  const missing = withLavoro.filter((u) => !urls.has(u));
  if (!withLavoro.length || missing.length) fail(`it "lavori": ${missing.length} of ${withLavoro.length} pages with "lavoro" not found`);
  console.log(`it "lavori": ${r.n} results (pages with "lavoro": ${withLavoro.length})`);
}

// 3. Accents: "citta" finds "città"; a word's beginning finds the whole word.
{
  const r = await query('it', 'citta');
  const expected = pagesWith('it', (w) => w.startsWith('citt'));
  if (!r.n || r.n > expected.length) fail(`it "citta": ${r.n} results, ${expected.length} pages with "citt…"`);
  if (!r.top.some((d) => /<mark>città<\/mark>/i.test(d.excerpt))) fail('it "citta": no excerpt marks "città"');
  const p = await query('it', 'tiroc');
  const tiroc = pagesWith('it', (w) => w.startsWith('tiroc')).length;
  if (p.n !== tiroc) fail(`it "tiroc": ${p.n} results, ${tiroc} pages hold a word beginning so`);
  console.log(`it "citta": ${r.n} results; "tiroc": ${p.n} results`);
}

// 4. Arabic: the article and prepositions are no part of the word looked for.
{
  const r = await query('ar', 'عمل');
  const withWord = pagesWith('ar', (w) => w === 'العمل' || w === 'بالعمل');
  if (!withWord.length || r.n < withWord.length) fail(`ar "عمل": ${r.n} results, ${withWord.length} pages with "العمل"/"بالعمل"`);
  console.log(`ar "عمل": ${r.n} results (pages with العمل or بالعمل: ${withWord.length})`);
}

// 5. Every word of a query: fewer results for two words than for either; none for a word
//    the site does not have.
{
  const a = (await query('en', 'internship')).n;
  const b = (await query('en', 'kitchen')).n;
  const both = await query('en', 'kitchen internship');
  const expected = pagesWith('en', (w) => w.startsWith('internship')).filter((u) => pagesWith('en', (w) => w.startsWith('kitchen')).includes(u)).length;
  if (!(both.n > 0 && both.n <= Math.min(a, b) && both.n >= expected)) fail(`en "kitchen internship": ${both.n} (kitchen ${a}, internship ${b}, both words ${expected})`);
  const none = await query('fr', 'xqzwv');
  if (none.n !== 0) fail(`fr "xqzwv": ${none.n} results`);
  const empty = await query('fr', ' ');
  if (empty.n !== 0) fail(`an empty query: ${empty.n} results`);
  console.log(`en "kitchen internship": ${both.n} (kitchen ${b}, internship ${a}); a word not on the site: 0`);
}

console.log(failures ? `search runtime: ${failures} failure(s)` : 'search runtime: all checks passed');
process.exit(failures ? 1 : 0);
