// A tiny static HTTP server on 127.0.0.1 for the conformance checks: serves a built site
// as a web host would (folder/ -> folder/index.html, 404.html for what is missing), with
// nothing cached.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

export const HOST = '127.0.0.1';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.ics': 'text/calendar; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
  '.pdf': 'application/pdf',
  '.csv': 'text/csv; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export function isFile(p) {
  try { return fs.statSync(p).isFile(); } catch { return false; }
}
export function isDir(p) {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

export function startServer(root) {
  const server = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, `http://${HOST}`).pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    const rel = path.posix.normalize(pathname).replace(/^\/+/, '');
    let file = path.join(root, rel);
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    if (isDir(file)) {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { Location: pathname + '/' }).end();
        return;
      }
      file = path.join(file, 'index.html');
    }
    let status = 200;
    if (!isFile(file)) {
      status = 404;
      file = path.join(root, '404.html');
      if (!isFile(file)) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
        return;
      }
    }
    const type = MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => resolve(server));
  });
}

// Makes every page of a Playwright browser context answer from `origin` only, with the
// Content-Security-Policy `csp` (as the README's server block sends it): a request to any
// other host is reported through `fail` and refused.
export async function sameSiteWithCsp(context, origin, csp, fail) {
  await context.route(() => true, async (route) => {
    const url = route.request().url();
    if (!url.startsWith(origin)) {
      fail(`a request left the site: ${url}`);
      return route.abort('blockedbyclient');
    }
    try {
      const resp = await route.fetch();
      await route.fulfill({ response: resp, headers: { ...resp.headers(), 'content-security-policy': csp } });
    } catch {
      // The page was closed while the request was on its way.
    }
  });
}
