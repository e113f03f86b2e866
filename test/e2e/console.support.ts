// What the console's browser tests share: a server with the console built and usage flushed
// promptly, sign-in through the page, the axe-core check, a webhook receiver, and the browser's
// console errors (a CSP violation is one).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildConsole } from '../../scripts/console/bundle';
import { CONSOLE_DIR } from '../../src/http/console';
import { freePort, startServer, ROOT, type RunningServer } from '../process/run';
import { ARTIFACTS } from './browser';

/** `npm run build` (npm ci) builds the console; a checkout that never built it builds it here (about a second). */
export function ensureConsoleBuilt(): void {
  if (!existsSync(join(CONSOLE_DIR, 'index.html'))) buildConsole(ROOT);
}

export interface ConsoleServer extends RunningServer {
  dataDir: string;
  email: string;
  password: string;
  close(): Promise<void>;
}

/**
 * The service from source, on a fresh data directory. Usage is flushed every 100 ms (default 1 s)
 * so the chart shows requests within the test's patience; webhooks may go to 127.0.0.1 (the
 * receiver) with one attempt each, so a failed delivery is `failed` at once and Retry is the way on.
 */
export async function startConsoleServer(env: Record<string, string> = {}): Promise<ConsoleServer> {
  ensureConsoleBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'cloud-api-console-'));
  const port = await freePort();
  const server = await startServer({
    DATA_DIR: dataDir,
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    PASSWORD_HASH_COST: '10',
    USAGE_FLUSH_INTERVAL_MS: '100',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_RETRY_SCHEDULE: '0',
    WEBHOOK_POLL_INTERVAL_MS: '100',
    ...env,
  });
  const m = /email:\s+(\S+)\n\s+password:\s+(\S+)/.exec(server.stderr());
  assert.ok(m, 'first start prints the development owner');
  return {
    ...server,
    dataDir,
    email: m[1],
    password: m[2],
    close: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Errors the page reports: console.error lines (CSP violations among them) and uncaught exceptions.
 * Not Chromium's "Failed to load resource" for an API answer of 4xx: the tests provoke those (a
 * wrong password, a 412) and the page shows them in words; any other failed load still counts.
 */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const apiAnswer = /^Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text()) && new URL(msg.location().url).pathname.startsWith('/v1/');
    if (!apiAnswer) errors.push(`${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

/** Signs in with the page's own fields and button, and waits for the navigation. */
export async function signIn(page: Page, server: ConsoleServer): Promise<void> {
  await page.goto(`${server.url}/console`);
  await page.getByLabel('Email').fill(server.email);
  await page.getByLabel('Password').fill(server.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'Projects' }).waitFor();
}

export async function openPage(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's serious and critical violations on the page as it is now. The library goes in through
 * the DevTools protocol (page.evaluate), not a <script>: the CSP refuses inline scripts, rightly.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  // Expressions as strings: they run in the page, and this project's TypeScript has no DOM types.
  if (!(await page.evaluate<boolean>("'axe' in window"))) await page.evaluate(AXE_SOURCE);
  type Violation = { id: string; impact: string; help: string; nodes: { target: string[] }[] };
  const results = await page.evaluate<{ violations: Violation[] }>("axe.run(document, { resultTypes: ['violations'] })");
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

export async function assertAccessible(page: Page, what: string): Promise<void> {
  assert.deepEqual(await axeViolations(page), [], `axe-core on ${what}`);
}

export interface Receiver {
  url: string;
  /** Bodies received, in order. */
  received: string[];
  /** Status the next requests get. */
  answer: number;
  close(): Promise<void>;
}

/** A webhook receiver on 127.0.0.1 answering `answer` (settable) with a short body. */
export async function startReceiver(): Promise<Receiver> {
  const state = { received: [] as string[], answer: 500 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c)).on('end', () => {
      state.received.push(body);
      res.writeHead(state.answer, { 'content-type': 'text/plain' }).end(state.answer < 300 ? 'ok' : 'receiver says no');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/hooks`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  });
}

/** Polls `check` until it is true, or fails after `ms`. */
export async function eventually(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
