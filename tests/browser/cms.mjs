// End-to-end test of the web editor (issue 29): Decap CMS at /admin/, served by `vetrina
// serve` with its local back end, in headless Chromium, as a communications officer uses it.
//
//   node tests/browser/cms.mjs --bin target/debug/vetrina [--shots DIR]
//
// On a copy of the demo site (which has `cms:` in site.yaml) it:
//  1. opens /admin/, signs in to the local back end, starts a new story;
//  2. tries to save a story about a person without a consent, then without the consent's
//     reference, then with a cover picture without alt text: each time the form refuses with
//     a visible message and nothing is written;
//  3. completes it, saves, writes its English translation, saves again;
//  4. checks the files are where SPEC §1 says (content/stories/<slug>/index.it.md,
//     index.en.md, the picture beside them), that `vetrina check` passes and that the
//     preview serves the story's page in both languages;
//  5. writes by hand a story without a consent reference and one whose picture has no alt
//     text: `vetrina check` refuses both, naming the rule;
//  6. checks that no request left this computer, and takes screenshots for the README.
// Exits 1 with the failed steps listed; prints "N passed, M failed".
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const { chromium } = await import(path.join(ROOT, 'tests/conformance/node_modules/playwright-core/index.mjs'));

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const BIN = path.resolve(opt('--bin', path.join(ROOT, 'target/debug/vetrina')));
const SHOTS = path.resolve(opt('--shots', path.join(HERE, 'artifacts')));
fs.mkdirSync(SHOTS, { recursive: true });

let passed = 0;
const failures = [];
function check(ok, what) {
  if (ok) {
    passed += 1;
    console.log(`ok    ${what}`);
  } else {
    failures.push(what);
    console.log(`FAIL  ${what}`);
  }
}

// ------------------------------------------------------------------ the site and the server
const site = fs.mkdtempSync(path.join(os.tmpdir(), 'vetrina-cms-'));
for (const p of ['site.yaml', 'content', 'data', 'themes']) {
  fs.cpSync(path.join(ROOT, p), path.join(site, p), { recursive: true });
}
const port = 20000 + Math.floor(Math.random() * 20000);
const base = `http://127.0.0.1:${port}`;
const serve = spawn(BIN, ['serve', '--root', site, '--port', String(port)], {
  stdio: ['ignore', 'pipe', 'pipe'],
});
let serveLog = '';
serve.stdout.on('data', (d) => (serveLog += d));
serve.stderr.on('data', (d) => (serveLog += d));

async function waitFor(cond, ms, what) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`(waited ${ms} ms for ${what})`);
  return false;
}

async function status(url) {
  try {
    const r = await fetch(url);
    return { code: r.status, text: await r.text() };
  } catch {
    return { code: 0, text: '' };
  }
}

function vetrinaCheck() {
  const r = spawnSync(BIN, ['check', '--root', site], { encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const slug = 'un-tirocinio-in-sartoria';
const bundle = path.join(site, 'content/stories', slug);
const picture = path.join(ROOT, 'content/stories/dal-tirocinio-in-cucina-al-contratto/cover.jpg');

let browser;
let page;
try {
  check(await waitFor(async () => (await status(`${base}/admin/`)).code === 200, 120000, 'serve'),
    'vetrina serve publishes /admin/');
  const admin = await status(`${base}/admin/`);
  check(admin.text.includes('noindex') && !admin.text.includes('__vetrina'),
    '/admin/ is noindex and carries no live-reload script');
  const sitemap = await status(`${base}/sitemap.xml`);
  check(sitemap.code === 200 && !sitemap.text.includes('/admin'), '/admin/ is not in the sitemap');

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'it-IT' });
  const outside = [];
  const errors = [];
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(base) && !u.startsWith('data:') && !u.startsWith('blob:')) outside.push(u);
  });
  // A page left with changes asks before leaving: the test has saved what it meant to.
  page.on('dialog', (d) => d.accept());
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/.test(m.text())) errors.push(m.text());
  });

  // ------------------------------------------------------------------ 1. sign in, new story
  await page.goto(`${base}/admin/`);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.getByText('Storie', { exact: true }).first().waitFor({ timeout: 30000 });
  await page.goto(`${base}/admin/#/collections/stories`);
  await page.getByText('Dal tirocinio in cucina al contratto').first().waitFor({ timeout: 30000 });
  check(true, 'the admin lists the site\'s stories');
  await page.screenshot({ path: path.join(SHOTS, 'admin-stories.png') });

  await page.goto(`${base}/admin/#/collections/stories/new`);
  const f = (name) => page.locator(`[id^="${name}-field"]`).first();
  await f('title').waitFor({ timeout: 30000 });
  const pick = async (name, label) => {
    await f(name).click();
    await page.getByText(label, { exact: true }).first().click();
  };
  await f('title').fill('Un tirocinio in sartoria');
  await f('date').fill('2026-11-30');
  await pick('kind', 'Persona partecipante');
  await pick('project', 'PUOI – Protezione Unita a Obiettivo Integrazione');
  await pick('region', 'Piemonte');
  await f('summary').fill('Un esempio di percorso: sei mesi di tirocinio in una sartoria di Torino.');
  await f('display_name').fill('Fatou');
  await pick('identifiability', 'Nome di fantasia');
  await f('title').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, 'admin-story-form.png') });
  await page.locator('[contenteditable=true]').first().click();
  await page.keyboard.type('Questa è una storia di esempio, scritta per provare il modulo.');

  // ------------------------------------------------------------------ 2. refused saves
  const toastText = async () =>
    (await page.locator('.Toastify__toast').allInnerTexts().catch(() => [])).join('\n');
  const dismissToasts = async () => {
    for (const b of await page.locator('.Toastify__close-button').all()) await b.click().catch(() => {});
    await page.waitForTimeout(300);
  };
  const save = async () => {
    await page.getByRole('button', { name: 'Pubblica' }).first().click();
    await page.getByText('Pubblica ora').first().click();
  };
  const refused = async (expected, what, shot) => {
    await dismissToasts();
    await save();
    const seen = await waitFor(async () => (await toastText()).includes(expected), 10000, what);
    if (shot) {
      await f('reference').scrollIntoViewIfNeeded();
      await page.waitForTimeout(800);
      await page.screenshot({ path: path.join(SHOTS, shot) });
    }
    check(seen && !fs.existsSync(path.join(bundle, 'index.it.md')), `${what}: "${expected}" is shown and nothing is written`);
  };
  await refused('«Consenso» è obbligatorio quando è compilato «Persona raccontata»', 'a person without a consent',
    'admin-consent-missing.png');

  await page.locator('[id^="date-field"]').nth(1).fill('2026-11-02');
  await pick('given_by', 'La persona stessa');
  await pick('scope', 'Sito web');
  await refused('«Riferimento del consenso»: manca', 'a consent without its reference');
  await f('reference').fill('ESEMPIO-PUOI-PIE-07');

  await page.getByText("Scegli un'immagine").first().click();
  await page.locator('input[type=file]').setInputFiles(picture);
  await page.getByText('cover.jpg').first().waitFor({ timeout: 15000 });
  // A file just uploaded is selected already; otherwise its card is clicked.
  const choose = page.getByRole('button', { name: 'Prendi selezionato' });
  if (!(await waitFor(() => choose.isEnabled(), 3000, 'the upload selected'))) {
    await page.getByText('cover.jpg').first().click();
  }
  await choose.click();
  await refused('«Testo alternativo»: manca', 'a cover picture without alt text');

  await f('alt').fill('Illustrazione: un tavolo da lavoro con stoffe, forbici e un metro da sarta');
  await pick('faces', 'Nessun volto');
  await dismissToasts();
  await save();
  check(await waitFor(async () => (await toastText()).includes('Voce salvata'), 15000, 'saved'), 'the complete story is saved');

  // ------------------------------------------------------------------ 3. the English text
  await page.waitForTimeout(1500);
  const en = (name) => page.locator(`[id^="${name}-field"]`).nth(1);
  await en('title').fill('An internship in a tailor\'s workshop');
  await en('summary').fill('An example path: six months as an intern in a tailor\'s workshop in Turin.');
  await page.locator('[contenteditable=true]').nth(1).click();
  await page.keyboard.type('This is an example story, written to try the form.');
  await dismissToasts();
  await save();
  check(await waitFor(async () => (await toastText()).includes('Voce salvata'), 15000, 'saved in English'), 'the English translation is saved');

  // ------------------------------------------------------------------ 4. files, check, pages
  const it = fs.existsSync(path.join(bundle, 'index.it.md')) ? fs.readFileSync(path.join(bundle, 'index.it.md'), 'utf8') : '';
  const enText = fs.existsSync(path.join(bundle, 'index.en.md')) ? fs.readFileSync(path.join(bundle, 'index.en.md'), 'utf8') : '';
  check(/reference: ESEMPIO-PUOI-PIE-07/.test(it) && /alt: .*tavolo/.test(it) && /src: cover\.jpg/.test(it),
    `content/stories/${slug}/index.it.md holds the consent's reference and the picture's alt text`);
  check(/title: An internship/.test(enText) && /reference: ESEMPIO-PUOI-PIE-07/.test(enText),
    `content/stories/${slug}/index.en.md holds the translation and the same consent`);
  check(fs.existsSync(path.join(bundle, 'cover.jpg')), 'the picture is saved beside the texts');
  check(!fs.existsSync(path.join(bundle, 'index.fr.md')) && !fs.existsSync(path.join(bundle, 'index.ar.md')),
    'no file is written for the languages not translated');
  const checked = vetrinaCheck();
  check(checked.code === 0, `vetrina check passes on the saved site${checked.code === 0 ? '' : `:\n${checked.out}`}`);
  const itPage = `${base}/storie/${slug}/`;
  const enPage = `${base}/en/stories/${slug}/`;
  check(await waitFor(async () => (await status(itPage)).text.includes('Un tirocinio in sartoria'), 30000, 'it page'),
    `the preview serves ${itPage}`);
  check(await waitFor(async () => (await status(enPage)).text.includes('An internship'), 30000, 'en page'),
    `the preview serves ${enPage}`);

  // ------------------------------------------------------------------ data files
  // An event calendar (a list at the top of its file) opens as a list of events and is
  // written back as a list that the build reads as before.
  const calendar = path.join(site, 'data/events/puoi.yaml');
  const before = fs.readFileSync(calendar, 'utf8');
  await page.goto(`${base}/admin/#/collections/events`);
  await page.getByText('puoi', { exact: true }).first().click({ timeout: 30000 });
  await page.getByText('focus-group-puglia-2020').first().waitFor({ timeout: 30000 });
  check(true, 'the event calendar data/events/puoi.yaml opens as a list of events');
  await f('file_name').fill('puoi');
  await dismissToasts();
  await save();
  check(await waitFor(async () => (await toastText()).includes('Voce salvata'), 15000, 'calendar saved'),
    'the calendar is saved');
  const after = fs.readFileSync(calendar, 'utf8');
  fs.writeFileSync(path.join(SHOTS, 'calendar-as-saved.yaml'), after);
  const ids = (t) => (t.match(/^- id: .*$/gm) || []).join('\n');
  check(after !== before && /^- id: focus-group-puglia-2020$/m.test(after) && ids(after) === ids(before)
    && /^  start: 2020-11-24T14:00$/m.test(after),
    'the saved calendar is still a list of the same events, dates as written');
  const calendarChecked = vetrinaCheck();
  check(calendarChecked.code === 0, `vetrina check passes on the calendar the admin wrote${calendarChecked.code ? `:\n${calendarChecked.out}` : ''}`);
  // The organisations (a map of keys) open as a list of records with their keys.
  await page.goto(`${base}/admin/#/collections/data`);
  await page.getByText('Organizzazioni', { exact: true }).first().click({ timeout: 30000 });
  await page.getByText('anpal-servizi').first().waitFor({ timeout: 30000 });
  check(true, 'data/organisations.yaml opens as a list of organisations by key');

  await page.goto(itPage);
  await page.screenshot({ path: path.join(SHOTS, 'story-page.png') });
  check(outside.length === 0, `no request left this computer${outside.length ? `: ${outside.slice(0, 5).join(', ')}` : ''}`);
  check(errors.length === 0, `no Content-Security-Policy violation${errors.length ? `: ${errors[0]}` : ''}`);

  // ------------------------------------------------------------------ 5. by hand
  // Two stories written by hand, each missing one thing the form asks for.
  const byHand = (name, image, consent) => {
    const dir = path.join(site, 'content/stories', name);
    fs.mkdirSync(dir);
    fs.copyFileSync(picture, path.join(dir, 'foto.jpg'));
    fs.writeFileSync(path.join(dir, 'index.it.md'), [
      '---', `title: "Scritta a mano ${name}"`, 'date: 2026-11-30', 'kind: participant',
      'project: puoi', 'region: piemonte', 'summary: "Una prova."', image,
      'person: {display_name: "Ada", identifiability: pseudonym}', consent, 'example: true',
      '---', 'Testo.', '',
    ].join('\n'));
    const r = vetrinaCheck();
    fs.rmSync(dir, { recursive: true });
    return r;
  };
  const noReference = byHand('senza-riferimento', 'image: {src: foto.jpg, alt: "Una foto"}',
    'consent: {date: 2026-11-01, given_by: self, scope: [web]}');
  check(noReference.code !== 0 && /`reference` is missing/.test(noReference.out),
    'a story written by hand without a consent reference is refused by the build');
  const noAlt = byHand('senza-alt', 'image: {src: foto.jpg}',
    'consent: {reference: "X-1", date: 2026-11-01, given_by: self, scope: [web]}');
  check(noAlt.code !== 0 && /alt/.test(noAlt.out),
    `a story written by hand with a picture without alt text is refused by the build${noAlt.code ? '' : `:\n${noAlt.out}`}`);
} catch (e) {
  failures.push(`the test stopped: ${e.message}`);
  console.log(e);
  if (page) await page.screenshot({ path: path.join(SHOTS, 'failure.png') }).catch(() => {});
} finally {
  if (browser) await browser.close();
  serve.kill();
  if (failures.length) console.log(`--- vetrina serve said:\n${serveLog.slice(-3000)}`);
  fs.rmSync(site, { recursive: true, force: true });
}
console.log(`\n${passed} passed, ${failures.length} failed`);
if (failures.length) {
  for (const f of failures) console.log(`  - ${f}`);
  process.exit(1);
}
