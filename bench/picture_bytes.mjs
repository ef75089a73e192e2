// The bytes of pictures a reader's browser downloads from a built site, measured in headless
// Chromium: every page of one language is opened (and scrolled to its end, so that lazy
// pictures load) at a phone's screen (390 px wide, 2 device pixels a CSS pixel) and a
// desktop's (1280 px, 1), and each picture file the browser asks for is counted once, as a
// browser's cache would. Chromium itself picks the candidate of each srcset and the WebP
// source over the JPEG; with --jpeg-only, the pages' WebP sources are hidden from it (their
// type is renamed on the way), which is what a browser without WebP, or a site without it,
// downloads of the same pictures.
//
//   node bench/picture_bytes.mjs --public public [--lang-prefix /] [--jpeg-only]
//
// Needs playwright-core (tests/conformance/node_modules: `npm ci` there) and Chromium
// (CHROMIUM_PATH, default /usr/bin/chromium). Prints one Markdown table row a screen.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { HOST, startServer } from '../tests/conformance/static_server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../tests/conformance/'));
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const pub = path.resolve(opt('--public', 'public'));
const jpegOnly = args.includes('--jpeg-only');
// The pages of one language: by default the site's default language, at the root (the
// other languages' folders are left out).
const others = ['en', 'fr', 'ar'];

function pages(dir, rel = '') {
  const out = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) {
      if (rel === '' && others.includes(e.name)) continue;
      out.push(...pages(dir, r));
    } else if (e.name === 'index.html') {
      out.push('/' + path.dirname(r).replace(/^\.$/, '').replace(/\\/g, '/'));
    }
  }
  return out.map((p) => (p.endsWith('/') ? p : p + '/'));
}

const server = await startServer(pub);
const origin = `http://${HOST}:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-component-update'],
});
const list = pages(pub).sort();
const screens = [
  { name: 'phone, 390 px at 2x', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 },
  { name: 'desktop, 1280 px at 1x', viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 },
];
console.log(`| screen | pages | picture files | bytes | kB |`);
console.log(`| --- | ---: | ---: | ---: | ---: |`);
for (const screen of screens) {
  const context = await browser.newContext({ viewport: screen.viewport, deviceScaleFactor: screen.deviceScaleFactor });
  await context.route(() => true, async (route) => {
    const req = route.request();
    if (jpegOnly && req.resourceType() === 'document') {
      const resp = await route.fetch();
      const body = (await resp.text()).replaceAll('type="image/webp"', 'type="image/x-hidden"');
      return route.fulfill({ response: resp, body });
    }
    return route.continue();
  });
  const seen = new Map();
  context.on('response', (resp) => {
    const url = new URL(resp.url());
    if (url.origin !== origin || !/\.(jpe?g|png|webp|gif|avif)$/i.test(url.pathname)) return;
    const file = path.join(pub, decodeURIComponent(url.pathname));
    if (fs.existsSync(file)) seen.set(url.pathname, fs.statSync(file).size);
  });
  const page = await context.newPage();
  for (const p of list) {
    await page.goto(origin + p, { waitUntil: 'load' });
    // To the end of the page by screenfuls, giving lazy pictures the time to start.
    await page.evaluate(async () => {
      for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
        scrollTo(0, y);
        await new Promise((r) => setTimeout(r, 60));
      }
    });
    // Every picture of the page has been near the screen by now: wait until all are in.
    await page.waitForFunction(() => [...document.images].every((i) => i.complete), null, { timeout: 10000 })
      .catch(() => console.error(`note: a picture of ${p} did not finish loading`));
    await page.waitForLoadState('networkidle');
  }
  const bytes = [...seen.values()].reduce((a, b) => a + b, 0);
  console.log(`| ${screen.name}${jpegOnly ? ', JPEG only' : ''} | ${list.length} | ${seen.size} | ${bytes} | ${(bytes / 1000).toFixed(1)} |`);
  if (process.env.PICTURE_BYTES_LIST) for (const [u, n] of [...seen].sort()) console.log(`  ${n}\t${u}`);
  await context.close();
}
await browser.close();
server.close();
