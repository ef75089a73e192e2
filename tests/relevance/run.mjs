// Relevance of Vetrina's search, side by side with Pagefind (issue 30, point 10).
//
//   node tests/relevance/run.mjs --site demo=DIR [--site corpus=DIR] [--strict] [--out FILE]
//                                [--queries FILE] [--note TEXT] [--skip-missing]
//
// For each built site folder (served on 127.0.0.1 by ../conformance/static_server.mjs), each
// query of queries.json for that site is typed into the search page of its language in
// headless Chromium, and the addresses of the results are read in order from the page. If the
// folder holds pagefind/ (Pagefind run on the same output), the same query goes to
// Pagefind's JS API (pagefind.search) in the same page. Per query: hit@3 (an expected page
// among the first three), precision at 3 (expected pages among the first three, out of
// min(3, pages the query expects)), and whether there were no results at all. Totals per
// site and language and per kind; a markdown table to --out (results.md here) and stdout,
// and a closing line: a report ("relevance: N of M queries …") by default, or, with --strict,
// "N passed, M failed" (a query passes if Vetrina has an expected page among its first
// three) and exit status 1 if any query fails; otherwise exit status 0 whatever the figures
// (the report is not a test result: CI reads such lines as one); 2 on a harness error (a site, a page or an expected address missing;
// with --skip-missing, a query none of whose expected pages is in the build is skipped and listed,
// for a corpus smaller than the 1,000 stories the set is written for).
// It measures, it never changes the site.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, HOST } from '../conformance/static_server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const QUERY_TIMEOUT = 20000;
const SETTLE = 3000;

function die(msg) {
  console.error(`relevance: ${msg}`);
  process.exit(2);
}

const args = process.argv.slice(2);
const sites = new Map();
let strict = false;
let skipMissing = false;
const skipped = [];
let out = path.join(HERE, 'results.md');
let queriesFile = path.join(HERE, 'queries.json');
let note = '';
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--strict') strict = true;
  else if (a === '--skip-missing') skipMissing = true;
  else if (a === '--site') {
    const v = args[++i] || '';
    const at = v.indexOf('=');
    if (at < 1) die(`--site wants NAME=DIR, got "${v}"`);
    sites.set(v.slice(0, at), path.resolve(v.slice(at + 1)));
  } else if (a === '--out') out = path.resolve(args[++i] || die('--out wants a file'));
  else if (a === '--queries') queriesFile = path.resolve(args[++i] || die('--queries wants a file'));
  else if (a === '--note') note = args[++i] || '';
  else die(`unknown argument: ${a}`);
}
if (!sites.size) die('no --site NAME=DIR given');

const spec = JSON.parse(fs.readFileSync(queriesFile, 'utf8'));

// Every page address of a built folder: each folder with an index.html, as "/a/b/".
function pagesOf(root) {
  const found = [];
  const walk = (dir, url) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      if (e.name === 'pagefind' || e.name === 'search-index' || e.name === 'admin') continue;
      const sub = path.join(dir, e.name);
      if (fs.existsSync(path.join(sub, 'index.html'))) found.push(`${url}${e.name}/`);
      walk(sub, `${url}${e.name}/`);
    }
  };
  walk(root, '/');
  return found;
}

function globRe(g) {
  return new RegExp(`^${g.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

// A result's address as the site writes it: the path, no index.html, no fragment.
function norm(u) {
  let p;
  try { p = decodeURI(new URL(u, 'http://x').pathname); } catch { p = String(u); }
  return p.replace(/index\.html$/, '');
}

async function vetrinaSearch(page, q) {
  const input = page.locator('#search-q');
  await page.evaluate(() => { window.__settled = null; });
  await input.fill('');
  await input.pressSequentially(q);
  await input.press('Enter');
  // Done when the status line is set (not "loading") and either says there is nothing, or
  // the list shows results; a status that stays set with no list for SETTLE ms also counts as
  // no results (a wording of the search page this harness does not know).
  const handle = await page.waitForFunction(([query, settle]) => {
    const strings = JSON.parse(document.getElementById('search-strings').textContent);
    const status = document.getElementById('search-status').textContent;
    const list = document.getElementById('search-results');
    const unavailable = document.getElementById('search-unavailable');
    if (!status && unavailable && !unavailable.hidden) return { error: 'search unavailable' };
    if (!status || status === strings.search_loading) {
      window.__settled = null;
      return false;
    }
    if (!list.hidden && list.children.length) {
      // The first link of each result: its page (a sub-result's #heading is dropped later).
      return { urls: [...list.children].map((li) => li.querySelector('a[href]')).filter(Boolean).map((a) => a.getAttribute('href')) };
    }
    const none = strings.search_none.split('{n}').join(new Intl.NumberFormat(document.documentElement.lang).format(0)).split('{query}').join(query.trim());
    if (status === none) return { urls: [] };
    if (!window.__settled || window.__settled.status !== status) window.__settled = { status, since: Date.now() };
    return Date.now() - window.__settled.since > settle ? { urls: [] } : false;
  }, [q, SETTLE], { timeout: QUERY_TIMEOUT, polling: 50 });
  return handle.jsonValue();
}

async function pagefindSearch(page, q) {
  return page.evaluate(async (query) => {
    if (!window.__pf) {
      window.__pf = await import('/pagefind/pagefind.js');
      await window.__pf.options({});
    }
    const r = await window.__pf.search(query);
    const top = await Promise.all(r.results.slice(0, 3).map((x) => x.data()));
    return { urls: top.map((d) => d.url), count: r.results.length };
  }, q);
}

function score(urls, expect, allPages) {
  const res = expect.map(globRe);
  const isExpected = (u) => res.some((re) => re.test(u));
  const top = urls.slice(0, 3).map(norm);
  const good = top.filter(isExpected).length;
  const want = allPages.filter(isExpected).length;
  return { top, hit: good > 0, p3: good / Math.min(3, want) };
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const rows = [];
const started = Date.now();
const pagefindOn = new Map();
try {
  for (const [name, root] of sites) {
    if (!fs.existsSync(path.join(root, 'index.html'))) die(`site ${name}: ${root} holds no built site`);
    const allPages = pagesOf(root);
    const queries = [];
    for (const x of spec.queries.filter((y) => y.site === name)) {
      const missing = x.expect.filter((g) => !allPages.some((p) => globRe(g).test(p)));
      const msg = `site ${name}: "${x.q}" expects ${missing.join(', ')}, which is no page of ${root}`;
      if (missing.length && !skipMissing) die(msg);
      // With --skip-missing, a query keeps the expected pages the build has, if any.
      const expect = x.expect.filter((g) => !missing.includes(g));
      if (expect.length) queries.push({ ...x, expect });
      else skipped.push(msg);
    }
    if (!queries.length) continue;
    const withPagefind = fs.existsSync(path.join(root, 'pagefind', 'pagefind.js'));
    pagefindOn.set(name, withPagefind);
    const server = await startServer(root);
    const origin = `http://${HOST}:${server.address().port}`;
    const context = await browser.newContext();
    try {
      const byLang = new Map();
      for (const x of queries) {
        if (!byLang.has(x.lang)) {
          const page = await context.newPage();
          const where = spec.search_pages[x.lang] || die(`no search page for language ${x.lang}`);
          const resp = await page.goto(origin + where, { waitUntil: 'load' });
          if (!resp || !resp.ok()) die(`site ${name}: ${where} answered ${resp && resp.status()}`);
          byLang.set(x.lang, page);
        }
        const page = byLang.get(x.lang);
        const row = { ...x };
        try {
          const v = await vetrinaSearch(page, x.q);
          if (v.error) throw new Error(v.error);
          row.v = { ...score(v.urls, x.expect, allPages), zero: v.urls.length === 0 };
        } catch (e) {
          row.v = { top: [], hit: false, p3: 0, zero: true, error: String(e.message || e).split('\n')[0] };
        }
        if (withPagefind) {
          try {
            const p = await pagefindSearch(page, x.q);
            row.p = { ...score(p.urls, x.expect, allPages), zero: p.count === 0 };
          } catch (e) {
            row.p = { top: [], hit: false, p3: 0, zero: true, error: String(e.message || e).split('\n')[0] };
          }
        }
        rows.push(row);
        const mark = (r) => (r ? `${r.hit ? 'hit ' : 'MISS'}${r.zero ? ' (0 results)' : ''}` : '–');
        console.error(`${name}/${x.lang} ${x.kind.padEnd(14)} ${x.q.padEnd(34)} vetrina ${mark(row.v)}  pagefind ${mark(row.p)}`);
      }
    } finally {
      await context.close();
      server.close();
    }
  }
} finally {
  await browser.close();
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);

// ------------------------------------------------------------------ report
const pct = (n, d) => (d ? `${Math.round((100 * n) / d)} %` : '–');
function totals(list, engine) {
  const r = list.map((x) => x[engine]).filter(Boolean);
  if (!r.length) return null;
  return {
    n: r.length,
    hit: r.filter((x) => x.hit).length,
    p3: r.reduce((s, x) => s + x.p3, 0) / r.length,
    zero: r.filter((x) => x.zero).length,
  };
}
function totalRow(label, list) {
  const v = totals(list, 'v');
  const p = totals(list, 'p');
  const cell = (t) => (t ? `${t.hit}/${t.n} (${pct(t.hit, t.n)}) | ${t.p3.toFixed(2)} | ${t.zero}` : '– | – | –');
  return `| ${label} | ${list.length} | ${cell(v)} | ${cell(p)} |`;
}
const md = [];
md.push('# Relevance: Vetrina vs Pagefind');
md.push('');
md.push(`Run on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`tests/relevance/run.sh\`, ${rows.length} queries in ${seconds} s.`);
if (note) md.push('', note);
md.push('');
md.push('hit@3: an expected page among the first three results. p@3: expected pages among the first three,');
md.push('out of min(3, pages the query expects), averaged. 0 res.: queries with no result at all.');
md.push('Vetrina: typed into the search page of the language in headless Chromium. Pagefind: its JS API');
md.push('(`pagefind.search`) in the same page, on an index Pagefind built from the same output.');
md.push('');
const head = '| | queries | Vetrina hit@3 | Vetrina p@3 | Vetrina 0 res. | Pagefind hit@3 | Pagefind p@3 | Pagefind 0 res. |';
const rule = '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';
md.push('## Totals', '', head, rule);
md.push(totalRow('**all**', rows));
for (const name of sites.keys()) {
  for (const lang of Object.keys(spec.search_pages)) {
    const l = rows.filter((r) => r.site === name && r.lang === lang);
    if (l.length) md.push(totalRow(`${name} ${lang}`, l));
  }
}
const both = rows.filter((r) => r.p);
if (both.length) {
  const better = (a, b) => both.filter((r) => r[a].hit && !r[b].hit).length;
  const vb = better('v', 'p');
  const pb = better('p', 'v');
  md.push('', `Head to head on hit@3: Vetrina better on ${vb}, Pagefind better on ${pb}, even on ${both.length - vb - pb}.`);
}
md.push('', '## By kind', '', head, rule);
for (const kind of [...new Set(rows.map((r) => r.kind))]) md.push(totalRow(kind, rows.filter((r) => r.kind === kind)));
md.push('', '## Queries', '');
md.push('✔ an expected page among the first three; ✘ none; 0 no result at all. First three results as addresses.');
md.push('');
md.push('| site | lang | kind | query | expected | Vetrina | Vetrina first three | Pagefind | Pagefind first three |');
md.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
const mark = (r) => (!r ? '–' : r.error ? `error: ${r.error.replace(/\|/g, '\\|')}` : r.zero ? '✘ 0' : `${r.hit ? '✔' : '✘'} ${r.p3.toFixed(2)}`);
const list = (r) => (r && r.top.length ? r.top.map((u) => `\`${u}\``).join('<br>') : '');
for (const r of rows) {
  md.push(`| ${r.site} | ${r.lang} | ${r.kind} | ${r.q} | ${r.expect.map((u) => `\`${u}\``).join('<br>')} | ${mark(r.v)} | ${list(r.v)} | ${mark(r.p)} | ${list(r.p)} |`);
}
for (const [name, on] of pagefindOn) {
  if (!on) md.push('', `Pagefind: not run on ${name} (no pagefind/ in its folder).`);
}
if (skipped.length) {
  md.push('', `Skipped (an expected page is not in this build; the set is written for 1,000 stories): ${skipped.length}`, '');
  for (const m of skipped) md.push(`- ${m}`);
}
const passed = rows.filter((r) => r.v.hit).length;
const failed = rows.length - passed;
md.push('', strict
  ? `${passed} passed, ${failed} failed`
  : `relevance: ${passed} of ${rows.length} queries with an expected page among Vetrina's first three (report only; --strict makes it a test)`);
const text = md.join('\n') + '\n';
fs.writeFileSync(out, text);
process.stdout.write(text);
process.exit(strict && failed ? 1 : 0);
