/**
 * The built-in dashboard's files (index.html, dashboard.js, dashboard.css beside this module),
 * read once at start. They hold no data: the page asks the GraphQL API with the user's token.
 */
import { readFileSync } from 'node:fs';
import type http from 'node:http';

const FILES: Record<string, { file: string; type: string }> = {
  '/dashboard': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard/dashboard.js': { file: 'dashboard.js', type: 'text/javascript; charset=utf-8' },
  '/dashboard/dashboard.css': { file: 'dashboard.css', type: 'text/css; charset=utf-8' },
};

/**
 * Only the page's own script and style, and requests to this origin: no inline script, no
 * framing, nothing sent elsewhere (the token is in the page's memory and session storage).
 */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

let cache: Map<string, Buffer> | null = null;

function contents(file: string): Buffer {
  cache ??= new Map(
    [...new Set(Object.values(FILES).map((f) => f.file))].map((f) => [f, readFileSync(new URL(`./${f}`, import.meta.url))]),
  );
  return cache.get(file)!;
}

export function isDashboardPath(pathname: string): boolean {
  return pathname === '/dashboard' || pathname.startsWith('/dashboard/');
}

/** Serves GET/HEAD of the dashboard's files; 404 for other paths under /dashboard, 405 for other methods. */
export function serveDashboard(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): void {
  const entry = FILES[pathname];
  const common = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-cache' };
  if (!entry) {
    res.writeHead(404, { ...common, 'content-type': 'text/plain; charset=utf-8' });
    return void res.end('Not found.');
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...common, allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    return void res.end('Method not allowed.');
  }
  const body = contents(entry.file);
  res.writeHead(200, {
    ...common,
    'content-type': entry.type,
    'content-length': String(body.length),
    'content-security-policy': DASHBOARD_CSP,
    'x-frame-options': 'DENY',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
