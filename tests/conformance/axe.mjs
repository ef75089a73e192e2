#!/usr/bin/env node
// Browser conformance checks for the site Vetrina builds.
//
// Serves the built site from a tiny static HTTP server on 127.0.0.1, opens key
// pages in Debian's headless Chromium (driven by playwright-core) and, for each
// page, at 1280x900 and 320x800:
//   - runs axe-core with the WCAG 2.0/2.1 A and AA rules;
//   - asserts <html lang> is set, exactly one <h1>, a <main> exists, and the EU
//     statement band (.eu-band) comes before <main> in document order;
//   - fails on any request to a host other than 127.0.0.1, on cookies, on
//     uncaught script errors and on local sub-resources that fail to load.
// Then takes full-page screenshots (Italian and Arabic home and first story, and every
// Arabic page type at 390 px).
//
// Usage: node axe.mjs --public DIR [--artifacts DIR] [--summary FILE]
// Exit status: 0 clean, 1 findings, 2 usage or setup error.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { HOST, isDir, isFile, startServer } from './static_server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const AXE_PATH = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');
const VIEWPORTS = [
  { name: '1280', width: 1280, height: 900 },
  { name: '320', width: 320, height: 800 },
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const MISSING_URL = '/__vetrina-conformance-missing-page__/';
// A word every language's search index holds in the demo site: a project's acronym.
const SEARCH_WORD = process.env.SEARCH_WORD || 'PUOI';
// Folders under a section that hold list pagination rather than detail pages.
const PAGINATION_DIR = /^(page|pagina|pages|\d+)$/i;

// ---------------------------------------------------------------- arguments
function parseArgs(argv) {
  const opts = { public: null, artifacts: path.join(HERE, 'artifacts'), summary: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--public') opts.public = next();
    else if (a === '--artifacts') opts.artifacts = next();
    else if (a === '--summary') opts.summary = next();
    else if (a === '-h' || a === '--help') usage(null, 0);
    else usage(`unknown argument ${a}`);
  }
  if (!opts.public) usage('--public DIR is required');
  opts.public = path.resolve(opts.public);
  opts.artifacts = path.resolve(opts.artifacts);
  return opts;
}

function usage(msg, code = 2) {
  if (msg) console.error(`axe.mjs: ${msg}`);
  console.error('usage: node axe.mjs --public DIR [--artifacts DIR] [--summary FILE]');
  process.exit(code);
}

// ---------------------------------------------------------- page discovery
function subdirs(dir) {
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

function languageRoots(pub) {
  const roots = [];
  if (isFile(path.join(pub, 'index.html'))) roots.push('');
  for (const name of subdirs(pub)) {
    if (/^[a-z]{2}$/.test(name) && isFile(path.join(pub, name, 'index.html'))) roots.push(name);
  }
  return roots;
}

// Detail pages of a section, sorted: subfolders with an index.html (but not
// pagination folders) and stand-alone .html files other than index.html.
function detailPages(pub, sectionRel) {
  const dir = path.join(pub, sectionRel);
  const out = [];
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    if (ent.isDirectory()) {
      if (!PAGINATION_DIR.test(ent.name) && isFile(path.join(dir, ent.name, 'index.html'))) {
        out.push({ key: ent.name, url: `/${sectionRel}/${ent.name}/` });
      }
    } else if (ent.isFile() && ent.name.endsWith('.html') && ent.name !== 'index.html') {
      out.push({ key: ent.name, url: `/${sectionRel}/${ent.name}` });
    }
  }
  out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out.map((d) => d.url);
}

function discover(pub) {
  const roots = languageRoots(pub);
  const langDirs = new Set(roots.filter((r) => r !== ''));
  const pages = []; // { url, kind, lang }
  const sections = {}; // lang -> [{ rel, details: [url] }]
  for (const lang of roots) {
    const base = lang ? `/${lang}/` : '/';
    pages.push({ url: base, kind: 'home', lang: lang || 'it' });
    sections[lang] = [];
    for (const name of subdirs(path.join(pub, lang))) {
      if (lang === '' && langDirs.has(name)) continue;
      // The CMS's editing page is no page of the site (tests/browser/cms.mjs checks it).
      if (lang === '' && name === 'admin') continue;
      const rel = lang ? `${lang}/${name}` : name;
      if (!isFile(path.join(pub, rel, 'index.html'))) continue;
      const details = detailPages(pub, rel);
      sections[lang].push({ name, rel, details });
      pages.push({ url: `/${rel}/`, kind: 'section', lang: lang || 'it' });
      if (details.length) pages.push({ url: details[0], kind: 'detail', lang: lang || 'it' });
    }
  }
  return { roots, pages, sections };
}

// ------------------------------------------------------------------ checks
const findings = []; // { page, viewport, kind, message }
const violations = new Map(); // key -> { page, id, impact, help, helpUrl, targets:Set, viewports:Set }

let recording = true; // off while taking screenshots: those pages were checked already
let ORIGIN = null; // http://127.0.0.1:PORT, left out of messages so they read as site paths
function finding(page, viewport, kind, message) {
  if (ORIGIN) message = message.split(ORIGIN).join('');
  if (recording) findings.push({ page, viewport, kind, message });
}

function isLocal(url, origin) {
  if (/^(data|blob|about|chrome|chrome-extension|devtools):/i.test(url)) return true;
  try {
    const u = new URL(url);
    return u.hostname === HOST;
  } catch {
    return false;
  }
}

async function structure(page) {
  return page.evaluate(() => {
    const html = document.documentElement;
    const lang = (html.getAttribute('lang') || '').trim();
    const h1s = document.querySelectorAll('h1').length;
    const mains = document.querySelectorAll('main');
    const band = document.querySelector('.eu-band');
    let bandBeforeMain = null;
    if (band && mains.length) {
      const main = mains[0];
      bandBeforeMain = !main.contains(band) && !band.contains(main) &&
        Boolean(band.compareDocumentPosition(main) & Node.DOCUMENT_POSITION_FOLLOWING);
    }
    return { lang, h1s, mains: mains.length, band: Boolean(band), bandBeforeMain };
  });
}

async function checkPage(context, page, target, vp, state, pub) {
  const label = target.url;
  const expectStatus = target.expectStatus || 200;
  state.current = label;
  state.viewport = vp.name;
  await page.setViewportSize({ width: vp.width, height: vp.height });
  let resp;
  try {
    resp = await page.goto(state.origin + target.url, { waitUntil: 'load', timeout: 30000 });
  } catch (e) {
    finding(label, vp.name, 'load', `page did not load: ${e.message.split('\n')[0]}`);
    return false;
  }
  const status = resp ? resp.status() : 0;
  if (status !== expectStatus) {
    finding(label, vp.name, 'load', `HTTP status ${status}, expected ${expectStatus}`);
  }
  // Let web fonts settle (they change layout and so axe's contrast checks).
  await page.evaluate(() => document.fonts.ready.then(() => true)).catch(() => {});

  // A search page is checked with results on it: search for a word every language's index
  // has (the acronym of a project), by keyboard, as a visitor would.
  if (await page.$('form[data-search]')) {
    await page.focus('form[data-search] input[type=search]');
    await page.keyboard.type(SEARCH_WORD);
    await page.keyboard.press('Enter');
    try {
      await page.waitForSelector('#search-results li a', { timeout: 15000 });
      const n = await page.$$eval('#search-results li', (l) => l.length);
      const said = (await page.textContent('[role=status]')) || '';
      if (!said.trim()) finding(label, vp.name, 'search', 'the result count was not announced in the status region');
      if (vp === VIEWPORTS[0]) console.log(`search ${label}: ${n} result(s) shown for ${SEARCH_WORD}; status: ${said.trim()}`);
    } catch {
      const said = await page.textContent('[role=status]').catch(() => '');
      finding(label, vp.name, 'search', `searching for ${SEARCH_WORD} showed no results (status: ${JSON.stringify(said)})`);
    }
    if (await page.isVisible('#search-unavailable')) {
      finding(label, vp.name, 'search', 'the page says search is unavailable although it is served over HTTP');
    }
  }

  if (vp === VIEWPORTS[0]) {
    const s = await structure(page);
    if (!s.lang) finding(label, vp.name, 'structure', '<html> has no (or an empty) lang attribute');
    if (s.h1s !== 1) finding(label, vp.name, 'structure', `expected exactly one <h1>, found ${s.h1s}`);
    if (s.mains < 1) finding(label, vp.name, 'structure', 'no <main> element');
    if (!s.band) finding(label, vp.name, 'structure', 'no EU statement band (.eu-band)');
    else if (s.bandBeforeMain === false) {
      finding(label, vp.name, 'structure', 'the EU statement band (.eu-band) is not before <main> in document order');
    }
  }

  await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' '), summary: n.failureSummary })),
    }));
  }, AXE_TAGS);
  for (const v of result) {
    const key = `${label}\u0000${v.id}`;
    let entry = violations.get(key);
    if (!entry) {
      entry = { page: label, id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, nodes: new Map(), viewports: new Set() };
      violations.set(key, entry);
    }
    entry.viewports.add(vp.name);
    for (const n of v.nodes) if (!entry.nodes.has(n.target)) entry.nodes.set(n.target, n.summary);
  }

  const cookies = await context.cookies();
  if (cookies.length) {
    finding(label, vp.name, 'cookies', `cookies set: ${cookies.map((c) => `${c.name} (${c.domain})`).join(', ')}`);
    await context.clearCookies();
  }
  return true;
}

// ------------------------------------------------------------- screenshots
// The path of the hreflang version of the page at url: from its
// <link rel="alternate" hreflang>, else from a link with that hreflang (the
// language switcher, which also points at fallback pages in that language).
async function alternatePath(page, origin, url, hreflang) {
  await page.goto(origin + url, { waitUntil: 'load', timeout: 30000 });
  const found = await page.evaluate((hl) => {
    const link = document.querySelector(`link[rel~="alternate"][hreflang="${hl}"][href]`);
    if (link) return { href: link.getAttribute('href'), how: 'link rel=alternate' };
    const a = document.querySelector(`a[hreflang="${hl}"][href]`);
    if (a) return { href: a.getAttribute('href'), how: 'a hreflang (no link rel=alternate)' };
    return null;
  }, hreflang);
  if (!found) return null;
  // The href may be absolute with the production base URL, or relative to
  // the page: keep only the path, and drop a trailing index.html.
  const u = new URL(found.href, origin + url);
  return { path: u.pathname.replace(/\/index\.html$/, '/'), how: found.how };
}

async function screenshots(page, state, disc, pub, artifacts) {
  fs.mkdirSync(artifacts, { recursive: true });
  const shots = [];
  const warn = (m) => { console.log(`WARNING: ${m}`); state.warnings.push(m); };
  const itStories = (disc.sections[''] || []).find((s) => s.name === 'storie');
  const itStory = itStories && itStories.details[0];
  if (isFile(path.join(pub, 'index.html'))) shots.push({ name: 'it-home', url: '/' });
  else warn('no Italian home page (index.html) for screenshots');
  if (itStory) shots.push({ name: 'it-story', url: itStory });
  else warn('no Italian story page (storie/<slug>/) for screenshots');

  if (disc.roots.includes('ar')) shots.push({ name: 'ar-home', url: '/ar/' });
  else warn('no Arabic home page (ar/index.html) for screenshots');
  let arStory = null;
  if (itStory) {
    try {
      const alt = await alternatePath(page, state.origin, itStory, 'ar');
      if (alt && alt.path.startsWith('/ar/')) {
        arStory = alt.path;
        console.log(`Arabic story: ${arStory} (from ${alt.how} on ${itStory})`);
      }
    } catch (e) {
      warn(`could not read the hreflang="ar" version of ${itStory}: ${e.message.split('\n')[0]}`);
    }
  }
  if (!arStory && disc.sections.ar) {
    // Fall back to the Arabic page with the same slug, else to the first page
    // of the Arabic section with the most detail pages.
    const slug = itStory ? itStory.split('/').filter(Boolean).pop() : null;
    const same = slug && disc.sections.ar.flatMap((s) => s.details).find((d) => d.split('/').filter(Boolean).pop() === slug);
    const best = [...disc.sections.ar].sort((a, b) => b.details.length - a.details.length)[0];
    arStory = same || (best && best.details[0]) || null;
    if (arStory) warn(`no hreflang="ar" version of ${itStory || 'an Italian story'}; using ${arStory}`);
  }
  if (arStory) shots.push({ name: 'ar-story', url: arStory });
  else warn('no Arabic story page found for screenshots');
  // The search pages with results (the page runs the query given in ?q=).
  for (const lang of ['', 'ar']) {
    const s = (disc.sections[lang] || []).find((x) => {
      // The search form's own attribute, not data-search-body on the indexed pages.
      try { return /<form[^>]*\sdata-search(?=[\s>])/.test(fs.readFileSync(path.join(pub, x.rel, 'index.html'), 'utf8')); } catch { return false; }
    });
    if (s) shots.push({ name: `${lang || 'it'}-search`, url: `/${s.rel}/?q=${encodeURIComponent(SEARCH_WORD)}`, wait: '#search-results li a' });
  }

  const saved = [];
  // Every Arabic page type at a phone's width (390 px): the home page, each section's list,
  // its first two detail pages (an event with its programme among them) and the 404 page.
  if (disc.sections.ar) {
    const arShots = [{ name: 'ar-390-home', url: '/ar/' }];
    for (const sec of disc.sections.ar) {
      arShots.push({ name: `ar-390-${sec.name}`, url: `/${sec.rel}/` });
      sec.details.slice(0, 2).forEach((d, i) => arShots.push({ name: `ar-390-${sec.name}-${i + 1}`, url: d }));
    }
    arShots.push({ name: 'ar-390-404', url: `/ar${MISSING_URL}` });
    await page.setViewportSize({ width: 390, height: 844 });
    for (const s of arShots) {
      const file = path.join(artifacts, `${s.name}.png`);
      try {
        await page.goto(state.origin + s.url, { waitUntil: 'load', timeout: 30000 });
        await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
        await page.screenshot({ path: file, fullPage: true });
        saved.push(file);
      } catch (e) {
        warn(`screenshot ${s.name} at 390px failed: ${e.message.split('\n')[0]}`);
      }
    }
  }
  for (const s of shots) {
    for (const vp of VIEWPORTS) {
      const file = path.join(artifacts, `${s.name}-${vp.name}.png`);
      try {
        await page.setViewportSize({ width: vp.width, height: vp.height });
        const resp = await page.goto(state.origin + s.url, { waitUntil: 'load', timeout: 30000 });
        if (resp && resp.status() !== 200) {
          warn(`screenshot ${s.name} (${s.url}) answered HTTP ${resp.status()}`);
        }
        await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
        if (s.wait) await page.waitForSelector(s.wait, { timeout: 15000 }).catch(() => warn(`screenshot ${s.name}: ${s.wait} never appeared`));
        await page.screenshot({ path: file, fullPage: true });
        saved.push(file);
      } catch (e) {
        warn(`screenshot ${s.name} at ${vp.name}px failed: ${e.message.split('\n')[0]}`);
      }
    }
  }
  return saved;
}

// -------------------------------------------------------------------- main
async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!isDir(opts.public)) usage(`no such folder: ${opts.public}`);
  if (!isFile(AXE_PATH)) usage(`axe-core not installed (${AXE_PATH}); run npm ci in ${HERE}`);
  if (!isFile(CHROMIUM)) usage(`Chromium not found at ${CHROMIUM}`);

  const disc = discover(opts.public);
  const targets = disc.pages.slice();
  if (isFile(path.join(opts.public, '404.html'))) {
    targets.push({ url: MISSING_URL, kind: '404', lang: 'it', expectStatus: 404 });
  } else {
    console.log('WARNING: no 404.html at the root of the site');
  }
  if (!disc.roots.length) {
    console.log(`FAIL: no home page found in ${opts.public}`);
    process.exit(1);
  }
  console.log(`languages: ${disc.roots.map((r) => r || 'it (root)').join(', ')}`);
  console.log(`pages to check (${targets.length}):`);
  for (const t of targets) console.log(`  ${t.kind.padEnd(7)} ${t.url}`);

  const server = await startServer(opts.public);
  const origin = `http://${HOST}:${server.address().port}`;
  ORIGIN = origin;
  const state = { origin, current: '(none)', viewport: '-', warnings: [] };

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
  let exitCode = 0;
  let pagesChecked = 0;
  let saved = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block', bypassCSP: true });
    // Nothing may leave 127.0.0.1: record and abort every other request.
    await context.route((url) => !isLocal(url.toString()), (route) => route.abort('blockedbyclient'));
    context.on('request', (req) => {
      if (!isLocal(req.url())) {
        finding(state.current, state.viewport, 'third-party', `request to another host: ${req.method()} ${req.url()}`);
      }
    });
    const erroredUrls = new Set(); // already reported with their HTTP status
    context.on('requestfailed', (req) => {
      if (erroredUrls.has(req.url())) return;
      // A lazy picture still loading when the checker moves to the next page is cancelled
      // by the navigation (net::ERR_ABORTED); a missing file shows as an HTTP error instead.
      if (req.failure()?.errorText === 'net::ERR_ABORTED') return;
      if (isLocal(req.url()) && !/^(data|blob):/.test(req.url())) {
        finding(state.current, state.viewport, 'subresource', `request failed: ${req.url()} (${req.failure()?.errorText})`);
      }
    });
    context.on('response', (resp) => {
      const req = resp.request();
      if (req.isNavigationRequest() && req.frame() === req.frame().page().mainFrame()) return;
      if (resp.status() >= 400 && isLocal(resp.url())) {
        erroredUrls.add(resp.url());
        finding(state.current, state.viewport, 'subresource', `HTTP ${resp.status()} for ${resp.url()}`);
      }
    });
    const page = await context.newPage();
    page.on('pageerror', (err) => {
      finding(state.current, state.viewport, 'script', `uncaught error: ${err.message.split('\n')[0]}`);
    });

    for (const t of targets) {
      let ok = true;
      for (const vp of VIEWPORTS) {
        if (!(await checkPage(context, page, t, vp, state, opts.public))) ok = false;
      }
      if (ok) pagesChecked++;
    }
    recording = false;
    state.current = '(screenshots)';
    state.viewport = '-';
    saved = await screenshots(page, state, disc, opts.public, opts.artifacts);
    await context.close();
  } finally {
    await browser.close();
    server.close();
  }

  // ----------------------------------------------------------- reporting
  // Collapse repeated findings to one line per page, kind and message.
  const grouped = new Map();
  for (const f of findings) {
    const k = `${f.page}\u0000${f.kind}\u0000${f.message}`;
    if (!grouped.has(k)) grouped.set(k, { ...f, viewports: new Set() });
    grouped.get(k).viewports.add(f.viewport);
  }

  console.log('');
  let nodeCount = 0;
  for (const v of violations.values()) {
    nodeCount += v.nodes.size;
    console.log(`AXE ${v.page} [${[...v.viewports].join(',')}px] ${v.id} (${v.impact}): ${v.help}`);
    console.log(`    ${v.helpUrl}`);
    for (const [target, summary] of v.nodes) {
      console.log(`    - ${target}`);
      if (summary) for (const line of summary.split('\n')) if (line.trim()) console.log(`        ${line.trim()}`);
    }
  }
  for (const f of grouped.values()) console.log(`FAIL ${f.page} [${[...f.viewports].join(',')}px] ${f.kind}: ${f.message}`);

  const summary = {
    pages: pagesChecked,
    pagesPlanned: targets.length,
    viewports: VIEWPORTS.map((v) => `${v.width}x${v.height}`),
    axeViolations: violations.size,
    axeNodes: nodeCount,
    otherFindings: grouped.size,
    screenshots: saved,
    warnings: state.warnings,
  };
  if (violations.size || grouped.size || pagesChecked !== targets.length) exitCode = 1;
  console.log('');
  console.log(`axe: ${pagesChecked}/${targets.length} pages at ${summary.viewports.join(' and ')}; ` +
    `${violations.size} axe violation(s) on ${nodeCount} element(s); ${summary.otherFindings} other finding(s)`);
  if (saved.length) {
    console.log('screenshots:');
    for (const s of saved) console.log(`  ${s}`);
  }
  if (opts.summary) fs.writeFileSync(opts.summary, JSON.stringify(summary, null, 2) + '\n');
  process.exit(exitCode);
}

main().catch((e) => {
  console.error(`axe.mjs: ${e.stack || e}`);
  process.exit(2);
});
