// The console's bundle (console/, built by Vite into dist/console) and its budget: the JavaScript
// the first page loads must stay within 150 kB gzipped (issue #26). `npm run build` builds and
// measures it; test/http/console.test.ts measures the built files the same way, and
// console.browser.test.ts what Chromium actually downloads.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** 150 kB, in bytes (kB as 1000 bytes, the stricter reading). */
export const FIRST_PAGE_JS_BUDGET = 150_000;

export interface BundleSize {
  files: { path: string; bytes: number; gzipBytes: number }[];
  gzipBytes: number;
}

/** Runs Vite with console/vite.config.mjs; throws with its output when the build fails. */
export function buildConsole(root: string): void {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const run = spawnSync(process.execPath, [vite, 'build', '--config', join(root, 'console', 'vite.config.mjs')], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`console build failed (vite exit ${run.status ?? run.signal}):\n${run.stdout}${run.stderr}`);
}

/**
 * The scripts the page at /console loads before anything runs: its module scripts and their
 * modulepreload links (Vite lists every chunk the entry imports statically), each gzipped as a
 * server or CDN would send it.
 */
export function firstPageJs(consoleDir: string): BundleSize {
  const html = readFileSync(join(consoleDir, 'index.html'), 'utf8');
  const urls = [
    ...[...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]),
    ...[...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]),
  ];
  if (urls.length === 0) throw new Error(`${consoleDir}/index.html loads no script`);
  const files = [...new Set(urls)].map((url) => {
    const path = join(consoleDir, url.replace(/^\/console\//, ''));
    const body = readFileSync(path);
    return { path, bytes: body.length, gzipBytes: gzipSync(body).length };
  });
  return { files, gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0) };
}

export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
