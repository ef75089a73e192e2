// Checks the filters of the story and event lists of a built site in headless Chromium, as a
// reader uses them: the form appears with JavaScript (and stays hidden without it, the list
// whole); choosing a region, a project, a year (or upcoming/past events) narrows the cards
// to those whose data- attributes match and announces their count in the role=status
// paragraph; the choice is in the address and a reload keeps it; "show all" brings the list
// back. When the story list is shown over several pages, the filtered list on page 2 is
// the whole list's matching cards (from the JSON beside the list), with working links and
// the same picture markup as the cards the pages carry (a WebP source, the JPEG fallback,
// sizes, width and height, the alt text, lazy loading). A card's picture is shown in WebP. The
// pages are served with the site's strict CSP (script-src 'self'); nothing may be fetched
// from another host, and no script error may occur.
//
//   node tests/conformance/list_filters.mjs --public public
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { HOST, sameSiteWithCsp, startServer } from './static_server.mjs';

const args = process.argv.slice(2);
const pub = path.resolve(args[args.indexOf('--public') + 1] || 'public');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:";

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

async function newPage(javaScriptEnabled = true) {
  const context = await browser.newContext({ javaScriptEnabled });
  await sameSiteWithCsp(context, origin, CSP, fail);
  const page = await context.newPage();
  page.on('pageerror', (e) => fail(`script error on ${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') fail(`console error on ${page.url()}: ${m.text()}`);
  });
  return page;
}

// What the reader sees of the list: the visible cards' titles and facets, the status text,
// the address's query, whether the form and the page links show.
async function seen(page) {
  // A list shown over several pages is busy while the JSON of its cards loads.
  await page.waitForFunction(() => !document.querySelector('[data-filter-list][aria-busy]'));
  return page.evaluate(() => {
    const visible = (el) => !!el && el.getClientRects().length > 0;
    // A srcset with every address made absolute, so that cards of different pages (and
    // those the script builds from the JSON) compare.
    const abs = (set) => set && set.split(', ').map((c) => {
      const at = c.lastIndexOf(' ');
      return new URL(c.slice(0, at), document.baseURI).href + c.slice(at);
    }).join(', ');
    const pictureOf = (li) => {
      const p = li.querySelector('picture');
      if (!p) return null;
      const source = p.querySelector('source');
      const img = p.querySelector('img');
      return {
        card: [...li.children].map((e) => e.tagName).join(' '),
        parts: [...p.children].map((e) => e.tagName).join(' '),
        type: source && source.type, webp: source && abs(source.getAttribute('srcset')),
        webpSizes: source && source.getAttribute('sizes'),
        srcset: abs(img.getAttribute('srcset')), sizes: img.getAttribute('sizes'),
        src: new URL(img.getAttribute('src'), document.baseURI).href,
        width: img.getAttribute('width'), height: img.getAttribute('height'), alt: img.alt,
        loading: img.getAttribute('loading'), decoding: img.getAttribute('decoding'),
      };
    };
    const cards = [...document.querySelectorAll('[data-filter-list] li.card')].filter(visible);
    // The count the status must say for the visible cards, in the language's plural form.
    const strings = JSON.parse(document.getElementById('list-filter-strings').textContent);
    const locale = document.querySelector('form[data-list-filters]').dataset.locale;
    const forms = strings.count;
    const form = typeof forms === 'string' ? forms : forms[new Intl.PluralRules(locale).select(cards.length)] || forms.other;
    return {
      expected: form.split('{n}').join(new Intl.NumberFormat(locale).format(cards.length)),
      cards: cards.map((li) => ({
        title: li.querySelector('.card__title').textContent.trim(),
        href: li.querySelector('a').href,
        region: li.dataset.region, project: li.dataset.project, year: li.dataset.year,
        period: li.dataset.period, picture: pictureOf(li),
      })),
      status: document.getElementById('list-count').textContent.trim(),
      role: document.getElementById('list-count').getAttribute('role'),
      query: location.search,
      form: visible(document.querySelector('form[data-list-filters]')),
      pager: visible(document.querySelector('nav.pagination')),
      heading: document.querySelector('h1').innerText.trim(),
    };
  });
}
const has = (v, key) => String(v || '').split(' ').includes(key);

// The list at `url`: every filter of the form, one at a time and two together.
async function checkList(url, label) {
  const page = await newPage();
  const resp = await page.goto(origin + url);
  if (!resp || !resp.ok()) { fail(`${label}: ${url} answered ${resp && resp.status()}`); return; }
  const all = await seen(page);
  check(all.form, `${label}: the filter form is not shown with JavaScript`);
  check(all.role === 'status', `${label}: the count is not a role=status region`);
  const facets = await page.$$eval('form[data-list-filters] select', (ss) => ss.map((s) => ({
    id: s.id, name: s.name, facet: s.dataset.facet,
    values: [...s.options].map((o) => o.value).filter(Boolean),
    label: document.querySelector(`label[for="${s.id}"]`)?.textContent.trim(),
  })));
  check(facets.length >= 3, `${label}: expected region, project and year filters, found ${facets.map((f) => f.facet)}`);
  const paged = await page.$eval('form[data-list-filters]', (f) => f.hasAttribute('data-cards'));
  // The whole list, when the page holds only some of it: the JSON the build wrote beside it.
  const whole = paged ? await page.evaluate(async () => {
    const u = new URL(document.querySelector('form[data-list-filters]').dataset.cards, document.baseURI);
    return (await (await fetch(u)).json());
  }) : null;
  if (paged) check(whole.length > all.cards.length, `${label}: the JSON holds ${whole.length} cards, the page ${all.cards.length}`);
  // The cards as the pages of the list carry them (without JavaScript), by link: what the
  // script's cards must look like.
  const own = new Map();
  if (paged) {
    const plain = await newPage(false);
    let next = origin + url.replace(/[0-9]+\/$/, '');
    while (next) {
      await plain.goto(next);
      for (const c of (await seen(plain)).cards) own.set(c.href, c.picture);
      next = await plain.$eval('nav.pagination', (n) => n.querySelector('a[rel=next]')?.href || null).catch(() => null);
    }
    await plain.context().close();
  }
  // A card's picture, once near the screen, is the WebP (the browser takes the source).
  const pictured = all.cards.findIndex((c) => c.picture);
  if (pictured >= 0) {
    const img = page.locator('[data-filter-list] li.card').nth(pictured).locator('img');
    await img.scrollIntoViewIfNeeded();
    await page.waitForFunction((el) => el.complete && el.currentSrc, await img.elementHandle());
    const current = await img.evaluate((el) => el.currentSrc);
    check(current.endsWith('.webp'), `${label}: a card's picture shows ${current}, not the WebP`);
    check(all.cards.filter((c) => c.picture).every((c) => c.picture.card === 'H3 PICTURE P P' &&
      c.picture.parts === 'SOURCE IMG' && c.picture.type === 'image/webp' && c.picture.loading === 'lazy' &&
      c.picture.width && c.picture.height && c.picture.alt), `${label}: a card's picture lacks a part`);
    await page.evaluate(() => window.scrollTo(0, 0));
  }
  for (const f of facets) {
    check(!!f.label, `${label}: the ${f.facet} filter has no label`);
    check(f.values.length > 0, `${label}: the ${f.facet} filter offers nothing`);
  }
  // Every choice of the first filter: the cards that stay are exactly the matching ones.
  const region = facets.find((f) => f.facet === 'region');
  for (const value of region.values) {
    await page.selectOption(`#${region.id}`, value);
    const s = await seen(page);
    check(s.cards.length > 0 || paged === false, `${label}: region ${value}: no card`);
    check(s.cards.every((c) => has(c.region, value)), `${label}: region ${value}: a card of another region shows`);
    const expected = (paged ? whole : all.cards).filter((c) => has(c.region, value)).length;
    check(s.cards.length === expected, `${label}: region ${value}: ${s.cards.length} cards shown, ${expected} expected`);
    check(s.status === s.expected,
      `${label}: region ${value}: the status says "${s.status}" for ${s.cards.length} card(s), not "${s.expected}"`);
    check(new URLSearchParams(s.query).get(region.name) === value,
      `${label}: region ${value}: the address does not hold it (${s.query})`);
  }
  // Two filters together, shared as an address: a fresh page opened at it shows the same.
  const value = region.values[0];
  const project = facets.find((f) => f.facet === 'project');
  await page.selectOption(`#${region.id}`, value);
  const pick = (await seen(page)).cards[0]?.project?.split(' ')[0];
  if (pick) {
    await page.selectOption(`#${project.id}`, pick);
    const both = await seen(page);
    check(both.cards.length > 0 && both.cards.every((c) => has(c.region, value) && has(c.project, pick)),
      `${label}: region ${value} and project ${pick}: the cards do not match both`);
    const shared = both.query;
    check(new URLSearchParams(shared).get(project.name) === pick, `${label}: the address lacks the project (${shared})`);
    await page.reload();
    const again = await seen(page);
    check(JSON.stringify(again.cards) === JSON.stringify(both.cards) && again.status === both.status,
      `${label}: a reload at ${shared} does not show the same cards and count`);
    check(await page.$eval(`#${region.id}`, (s) => s.value) === value, `${label}: a reload forgets the region`);
    const other = await newPage();
    await other.goto(origin + url + shared);
    const opened = await seen(other);
    check(JSON.stringify(opened.cards) === JSON.stringify(both.cards), `${label}: the shared address ${shared} shows other cards`);
    await other.context().close();
    if (paged) {
      check(!both.pager, `${label}: the page links show while a filter is on`);
      check(!/\d\s*$/.test(both.heading) || !/\d\s*$/.test(all.heading), `${label}: the heading still gives the page's number while the whole list is filtered: ${both.heading}`);
      for (const c of both.cards) {
        const r = await page.request.get(c.href);
        check(r.ok(), `${label}: the card link ${c.href} answers ${r.status()}`);
        check(own.has(c.href) && JSON.stringify(own.get(c.href)) === JSON.stringify(c.picture),
          `${label}: the card of ${c.href} built from the JSON has another picture than the list's: ${JSON.stringify(c.picture)} / ${JSON.stringify(own.get(c.href))}`);
      }
    }
  }
  // The year filter: only cards of that year.
  const year = facets.find((f) => f.facet === 'year');
  await page.click('form[data-list-filters] button[type=reset]');
  await page.waitForFunction(() => !location.search);
  await page.selectOption(`#${year.id}`, year.values[year.values.length - 1]);
  const byYear = await seen(page);
  check(byYear.status === byYear.expected, `${label}: year: the status says "${byYear.status}", not "${byYear.expected}"`);
  check(byYear.cards.length > 0 && byYear.cards.every((c) => c.year === year.values[year.values.length - 1]),
    `${label}: year ${year.values[year.values.length - 1]}: cards of other years show`);
  // Upcoming or past (events).
  const period = facets.find((f) => f.facet === 'period');
  if (period) {
    await page.selectOption(`#${year.id}`, '');
    for (const v of period.values) {
      await page.selectOption(`#${period.id}`, v);
      const s = await seen(page);
      check(s.cards.every((c) => c.period === v), `${label}: ${v}: cards of the other period show`);
      check(s.cards.length === all.cards.filter((c) => c.period === v).length, `${label}: ${v}: wrong number of cards`);
    }
  }
  // "Show all" (the reset button, by keyboard): the list as it came, the address clean.
  await page.focus('form[data-list-filters] button[type=reset]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !location.search);
  const back = await seen(page);
  check(JSON.stringify(back.cards) === JSON.stringify(all.cards) && back.status === all.status,
    `${label}: "show all" does not bring the list back`);
  check(back.pager === all.pager, `${label}: "show all" does not bring the page links back`);
  check(back.heading === all.heading, `${label}: "show all" does not bring the heading back: ${back.heading}`);
  await page.context().close();
  // Without JavaScript: no form, the list whole.
  const plain = await newPage(false);
  await plain.goto(origin + url + `?${region.name}=${value}`);
  const nojs = await seen(plain);
  check(!nojs.form, `${label}: without JavaScript the form shows (it would do nothing)`);
  check(nojs.cards.length === all.cards.length, `${label}: without JavaScript the list is not whole`);
  await plain.context().close();
  console.log(`ok   ${label} ${url}: ${all.cards.length} card(s), ${facets.map((f) => `${f.facet} (${f.values.length})`).join(', ')}${paged ? ', whole list from the JSON' : ''}`);
}

// The story and event lists of each language: the language-switcher links of the Italian ones.
async function listsOf(italian) {
  const page = await newPage(false);
  await page.goto(origin + italian);
  const urls = await page.$$eval('link[rel=alternate][hreflang]', (ls) => ls.map((l) => new URL(l.href).pathname));
  await page.context().close();
  return [italian, ...urls.filter((u) => u !== italian)];
}

for (const italian of ['/storie/', '/eventi/']) {
  if (!fs.existsSync(path.join(pub, italian, 'index.html'))) { fail(`no list at ${italian}`); continue; }
  for (const url of await listsOf(italian)) await checkList(url, italian === '/storie/' ? 'stories' : 'events');
}
// A story list shown over several pages: its second page filters the whole list.
if (fs.existsSync(path.join(pub, 'storie/2/index.html'))) await checkList('/storie/2/', 'stories page 2');
else console.log('note the story list has one page: the JSON of all cards is not used (tests/list_filters.rs checks the JSON of a list over several pages)');

await browser.close();
server.close();
console.log(`list filters: ${checks} check(s), ${failures} failure(s)`);
process.exit(failures ? 1 : 0);
