// Checks the search page of a built site in headless Chromium, as a reader and a partner
// use it: results for a query, then the filters (section, region, project, year) and the
// order (relevance or date). A filter narrows the results to the pages that say so of
// themselves (the data-search-* attributes of their <main>, fetched and read here), the
// count in the role=status paragraph follows, each option's count is the number of
// results choosing it leaves, the choices are in the address and come back on reload or
// from a shared address ("stories in Puglia about PUOI"). Results under a heading link to
// it, and the heading is on the page. The controls are reached by keyboard and named, and
// axe-core finds no WCAG 2.1 AA violation on the page with results and filters shown, in
// Italian and Arabic, at 1280 and 320 px. Served with the site's strict CSP; nothing may
// be fetched from another host, and no script error may occur.
//
//   node tests/conformance/search_page.mjs --public public
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { HOST, sameSiteWithCsp, startServer } from './static_server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const pub = path.resolve(args[args.indexOf('--public') + 1] || 'public');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// The README's server block's policy.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'";
const AXE_PATH = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let failures = 0;
let checks = 0;
const fail = (msg) => { failures++; console.log(`FAIL ${msg}`); };
const check = (ok, msg) => { checks++; if (!ok) fail(msg); };

const server = await startServer(pub);
const origin = `http://${HOST}:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
});
const context = await browser.newContext();
await sameSiteWithCsp(context, origin, CSP, fail);
const page = await context.newPage();
const axeContext = await browser.newContext({ bypassCSP: true });
page.on('pageerror', (e) => fail(`script error: ${e.message}`));
page.on('console', (m) => {
  // The static server has no favicon.ico; anything else is a fault.
  if (m.type() === 'error' && !/favicon/.test(m.text())) fail(`console error: ${m.text()}`);
});

// What a page says of itself, by its address: { section, regions, projects, ids, html }.
const facetsCache = new Map();
async function facetsOf(url) {
  if (!facetsCache.has(url)) {
    const html = await (await fetch(new URL(url, origin))).text();
    const main = html.match(/<main\b[^>]*>/)?.[0] || '';
    const attr = (n) => (main.match(new RegExp(`${n}="([^"]*)"`))?.[1] || '').split(' ').filter(Boolean);
    facetsCache.set(url, { section: attr('data-search-section')[0] || null, regions: attr('data-search-regions'), projects: attr('data-search-projects'), html });
  }
  return facetsCache.get(url);
}

// Opens a search and waits for its results (or its "no results" line).
async function open(address) {
  await page.goto(origin + address);
  await page.waitForFunction(() => {
    const s = document.getElementById('search-status').textContent;
    return s && !s.includes('…') && !document.getElementById('search-results').hasAttribute('aria-busy');
  }, null, { timeout: 15000 }).catch(() => fail(`${address}: no results shown`));
}

// Waits for the list to be drawn after a choice.
async function settled() {
  await page.waitForFunction(() => !document.getElementById('search-results').hasAttribute('aria-busy'), null, { timeout: 15000 })
    .catch(() => fail('the result list stays busy'));
}

// Every result of the current search: clicks "show more" until all are listed.
async function allResults() {
  await settled();
  for (let i = 0; i < 50 && await page.locator('#search-more').isVisible(); i++) {
    const before = await page.locator('#search-results > li').count();
    await page.click('#search-more');
    await page.waitForFunction((n) => document.querySelectorAll('#search-results > li').length > n, before).catch(() => {});
    await settled();
  }
  return page.locator('#search-results > li').evaluateAll((items) => items.map((li) => ({
    href: li.querySelector('h2 a').getAttribute('href'),
    date: li.querySelector('time')?.getAttribute('datetime') || null,
    sub: li.querySelector('.search__sub a') ? { href: li.querySelector('.search__sub a').getAttribute('href'), text: li.querySelector('.search__sub a').textContent } : null,
  })));
}

const status = () => page.locator('#search-status').textContent();
const digits = (s) => (s.match(/[\d\u0660-\u0669][\d\u0660-\u0669.,\u066C\u00A0\u202F]*/g) || []).map((d) => Number(d.replace(/[^\d\u0660-\u0669]/g, '').replace(/[\u0660-\u0669]/g, (c) => c.charCodeAt(0) - 0x660)));

// Options of a filter: { value, count, disabled }.
async function optionsOf(id) {
  return page.locator(`#${id} option`).evaluateAll((os) => os.filter((o) => o.value).map((o) => ({
    value: o.value,
    count: Number((o.textContent.match(/\(([\d.,\u00A0\u202F]+)\)\s*$/) || [])[1]?.replace(/[^\d]/g, '') ?? NaN),
    disabled: o.disabled,
  })));
}

const SITES = [
  { lang: 'it', search: '/cerca/', queries: ['tirocinio', 'lavoro', 'progetto'] },
  { lang: 'ar', search: '/ar/search/', queries: ['العمل', 'التدريب', 'مشروع'] },
];

for (const site of SITES) {
  const base = site.search;
  let subs = 0;
  for (const q of site.queries) {
    await open(`${base}?q=${encodeURIComponent(q)}`);
    const unfiltered = await allResults();
    check(unfiltered.length > 0, `${site.lang} "${q}": no results`);
    check(await page.locator('#search-filters').isVisible(), `${site.lang} "${q}": the filters are not shown with results`);
    check(digits(await status()).includes(unfiltered.length), `${site.lang} "${q}": the status does not give the ${unfiltered.length} results: ${await status()}`);

    // Each filter: the option with the most results, chosen; every result then says so of
    // itself, and the count is the option's.
    const [paramSection, paramRegion, paramProject] = await Promise.all(['search-section', 'search-region', 'search-project']
      .map((id) => page.locator(`#${id}`).getAttribute('name')));
    for (const [id, facet, param] of [['search-section', 'section', paramSection], ['search-region', 'regions', paramRegion], ['search-project', 'projects', paramProject]]) {
      const options = (await optionsOf(id)).filter((o) => !o.disabled && o.count > 0);
      if (!options.length) continue;
      const pick = options.sort((a, b) => a.count - b.count)[Math.floor(options.length / 2)];
      await page.selectOption(`#${id}`, pick.value);
      await settled();
      const shown = await allResults();
      check(shown.length === pick.count, `${site.lang} "${q}" ${facet}=${pick.value}: the option said ${pick.count}, ${shown.length} shown`);
      check(digits(await status()).includes(shown.length), `${site.lang} "${q}" ${facet}=${pick.value}: the status does not give ${shown.length}: ${await status()}`);
      for (const r of shown) {
        const f = await facetsOf(r.href);
        const values = facet === 'section' ? [f.section] : f[facet];
        check(values.includes(pick.value), `${site.lang} "${q}" ${facet}=${pick.value}: ${r.href} is not (${values.join(' ')})`);
      }
      check(new URL(page.url()).searchParams.get(param) === pick.value, `${site.lang} "${q}": ${param}=${pick.value} not in the address ${page.url()}`);
      // Reload: the same choice, the same results.
      await open(new URL(page.url()).pathname + new URL(page.url()).search);
      check(await page.locator(`#${id}`).inputValue() === pick.value, `${site.lang} "${q}": ${facet} lost on reload`);
      check((await allResults()).length === shown.length, `${site.lang} "${q}" ${facet}=${pick.value}: other results after reload`);
      await page.selectOption(`#${id}`, '');
      await settled();
      check((await allResults()).length === unfiltered.length, `${site.lang} "${q}": clearing ${facet} does not bring every result back`);
    }

    // The year: every result of the year chosen is dated in it.
    const years = await optionsOf('search-year');
    if (years.length) {
      const y = years[0];
      await page.selectOption('#search-year', y.value);
      await settled();
      const shown = await allResults();
      check(shown.length === y.count && shown.every((r) => r.date && r.date.startsWith(y.value)), `${site.lang} "${q}" year ${y.value}: results not all of that year (${shown.map((r) => r.date).join(' ')})`);
      await page.selectOption('#search-year', '');
    }

    // By date: the dated results newest first, before the others.
    await page.selectOption('#search-sort', 'date');
    await settled();
    const byDate = await allResults();
    check(byDate.length === unfiltered.length, `${site.lang} "${q}": sorting by date changed the number of results`);
    const dated = byDate.map((r) => r.date || '');
    const firstUndated = dated.indexOf('');
    check(dated.every((d, i) => i === 0 || !d || (dated[i - 1] && dated[i - 1] >= d)) && (firstUndated < 0 || dated.slice(firstUndated).every((d) => !d)),
      `${site.lang} "${q}": not newest first: ${dated.join(' ')}`);
    await page.selectOption('#search-sort', '');

    // Results under a heading link to it, and it is there.
    for (const r of unfiltered.filter((x) => x.sub)) {
      subs++;
      const [where, id] = r.sub.href.split('#');
      check(where === r.href, `${site.lang} "${q}": the heading link ${r.sub.href} is not on ${r.href}`);
      const f = await facetsOf(r.href);
      const heading = f.html.match(new RegExp(`<h[2-6][^>]*\\bid="?${decodeURIComponent(id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?[^>]*>([\\s\\S]*?)</h[2-6]>`));
      check(heading && r.sub.text.includes(heading[1].replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim()), `${site.lang} "${q}": ${r.sub.href} names no heading of the page (${r.sub.text})`);
    }
  }
  check(subs > 0, `${site.lang}: no result links to a heading`);

  // A shared address with several choices: every result matches them all.
  await open(`${base}?q=${encodeURIComponent(site.queries[0])}`);
  const regions = (await optionsOf('search-region')).filter((o) => o.count > 0 && o.count < 20);
  const projects = (await optionsOf('search-project')).filter((o) => o.count > 0);
  if (regions.length && projects.length) {
    const u = new URL(page.url());
    u.searchParams.set(await page.locator('#search-region').getAttribute('name'), regions[0].value);
    u.searchParams.set(await page.locator('#search-project').getAttribute('name'), projects[projects.length - 1].value);
    u.searchParams.set(await page.locator('#search-section').getAttribute('name'), 'stories');
    await open(u.pathname + u.search);
    for (const r of await allResults()) {
      const f = await facetsOf(r.href);
      check(f.section === 'stories' && f.regions.includes(regions[0].value) && f.projects.includes(projects[projects.length - 1].value),
        `${site.lang}: a shared address's result ${r.href} does not match every choice`);
    }
  }

  // By keyboard: from the query field, Tab reaches the button and then each control, and
  // each control is named.
  await open(`${base}?q=${encodeURIComponent(site.queries[0])}`);
  await page.focus('#search-q');
  const order = [];
  for (let i = 0; i < 7; i++) {
    await page.keyboard.press('Tab');
    order.push(await page.evaluate(() => document.activeElement.id || document.activeElement.tagName));
  }
  const controls = ['search-section', 'search-region', 'search-project', 'search-year', 'search-sort'];
  check(controls.every((c) => order.includes(c)), `${site.lang}: Tab does not reach every filter: ${order.join(' → ')}`);
  for (const c of controls) {
    const name = await page.locator(`#${c}`).evaluate((el) => el.labels && el.labels[0] && el.labels[0].textContent.trim());
    check(!!name, `${site.lang}: #${c} has no label`);
  }
  // With a filter on, a keyboard choice announces the new count.
  await page.focus('#search-section');
  await page.keyboard.press('ArrowDown');
  await settled();
  check(/\d|[\u0660-\u0669]/.test(await status()), `${site.lang}: a keyboard choice announces no count`);

  // axe, with results and filters shown, at 1280 and 320 px (in a page of its own, where
  // axe's script may run).
  const axePage = await axeContext.newPage();
  for (const width of [1280, 320]) {
    await axePage.setViewportSize({ width, height: 900 });
    await axePage.goto(`${origin}${base}?q=${encodeURIComponent(site.queries[0])}&${paramOf(site.lang)}`);
    await axePage.waitForFunction(() => document.querySelectorAll('#search-results > li').length > 0
      && !document.getElementById('search-results').hasAttribute('aria-busy'), null, { timeout: 15000 })
      .catch(() => fail(`${site.lang} at ${width}px: no results for axe`));
    await axePage.addScriptTag({ path: AXE_PATH });
    const violations = await axePage.evaluate(async (tags) => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return r.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    }, AXE_TAGS);
    check(violations.length === 0, `${site.lang} at ${width}px: axe: ${violations.join('; ')}`);
    await axePage.screenshot({ path: path.join(HERE, 'artifacts', `search-${site.lang}-${width}.png`), fullPage: true }).catch(() => {});
  }
  await axePage.close();
}

// The filter in the address for the axe pages: stories only, so that the filters show a
// choice made.
function paramOf(lang) {
  return lang === 'it' ? 'sezione=stories' : 'section=projects';
}

await browser.close();
server.close();
console.log(`search page: ${checks} checks, ${failures} failed`);
process.exit(failures ? 1 : 0);
