// What one search costs a reader: the search-index files a query fetches, gzip -9 sizes,
// on a built site (issue 30, point 11: at most 150 KB compressed at 10,000 stories).
//   node bench/search_query_bytes.mjs PUBLIC_DIR
import zlib from 'node:zlib';
import { chromium } from '../tests/conformance/node_modules/playwright-core/index.mjs';
import { startServer, HOST } from '../tests/conformance/static_server.mjs';
const pub = process.argv[2];
const srv = await startServer(pub);
const port = srv.address ? srv.address().port : srv.port;
const base = `http://${HOST}:${port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] });
for (const [lang, page, q] of [['it','/cerca/','tirocinio'],['it','/cerca/','lavoro'],['it','/cerca/','tirocino'],['it','/cerca/','mediatore culturale'],['en','/en/search/','internship'],['ar','/ar/search/','التدريب'],['fr','/fr/recherche/','emplois']]) {
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  const got = [];
  p.on('response', async (r) => { const u = r.url(); if (u.includes('/search-index/')) { try { const b = await r.body(); got.push([u.replace(base,''), b.length, zlib.gzipSync(b, {level: 9}).length]); } catch {} } });
  await p.goto(base + page);
  await p.waitForTimeout(800);
  const before = got.length;
  const boot = got.reduce((a, x) => a + x[2], 0);
  await p.fill('#search-q', q); await p.press('#search-q', 'Enter');
  await p.waitForTimeout(2500);
  const q_ = got.slice(before);
  const qz = q_.reduce((a, x) => a + x[2], 0), qr = q_.reduce((a, x) => a + x[1], 0);
  const status = await p.locator('#search-status').innerText().catch(() => '?');
  console.log(`${lang} "${q}": page load ${Math.round(boot/1024)} KB gz; query ${q_.length} files, ${Math.round(qr/1024)} KB raw, ${Math.round(qz/1024)} KB gz; total ${Math.round((boot+qz)/1024)} KB gz — ${status}`);
  await ctx.close();
}
await browser.close(); srv.close?.(); process.exit(0);
