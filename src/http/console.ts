import express, { type Router } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fromRoot } from '../paths';
import { readOnly, readOnlyRoute } from './readOnly';

/** Where `npm run build` (and so `npm ci`) writes the console's bundle (console/vite.config.mjs). */
export const CONSOLE_DIR = fromRoot('dist', 'console');

/**
 * The browser console at /console: static files built from console/, same origin as the API, so
 * it needs no CORS and runs under the service's own Content-Security-Policy unchanged (its only
 * script is a same-origin file, its styles a same-origin stylesheet). It routes by the URL's
 * fragment (/console#/usage), so the server has one page to serve and no fallback to guess.
 * Undefined when the bundle was never built: /console is then an unknown path like any other (the
 * service's "listening" line says so: consoleStatus).
 */
export function consoleRouter(dir = CONSOLE_DIR): Router | undefined {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return undefined;
  const router = express.Router();
  readOnlyRoute(router, '/console', (_req, res) => {
    // The page names the current hashed files: always revalidated, so a new build is picked up.
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
  router.use(
    '/console/assets',
    readOnly,
    // File names carry a content hash (Vite): a changed file is a new URL, so caching forever is safe.
    express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false, redirect: false }),
  );
  return router;
}

/** What the start-up line says of the console: its URL, off, or why it is missing. */
export function consoleStatus(enabled: boolean, publicUrl: string, dir = CONSOLE_DIR): string {
  if (!enabled) return 'off (CONSOLE=off)';
  return existsSync(join(dir, 'index.html')) ? `${publicUrl}/console` : 'not built: run npm run build';
}
