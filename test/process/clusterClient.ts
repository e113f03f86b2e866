import assert from 'node:assert/strict';
import { request } from 'node:http';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it holds; `failed` ends the wait early with that error. No deadline: mocha's timeout is the bound. */
export async function until(check: () => boolean, failed: () => unknown = () => undefined): Promise<void> {
  while (!check()) {
    const err = failed();
    if (err) throw err;
    await sleep(20);
  }
}

/**
 * One request on a connection of its own (`agent: false`): with WORKERS=N the primary hands every
 * new connection to the next worker, so consecutive calls reach different workers.
 */
export function call(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Reply> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, {
      method,
      agent: false,
      headers: { ...headers, ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}) },
    });
    req.setTimeout(20_000, () => req.destroy(new Error('no answer within 20 s')));
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : undefined }));
    });
    req.end(data);
  });
}

export async function login(base: string, email: string, password: string) {
  const res = await call(base, 'POST', '/v1/auth/login', {}, { email, password });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data as { access_token: string; refresh_token: string };
}

export interface Listed {
  id: string;
  name: string;
}

/** Every project whose name contains `name`, one page per request, the pages alternating between the targets. */
export async function listAll(targets: () => readonly string[], auth: Record<string, string>, name: string, limit = 50): Promise<Listed[]> {
  const all: Listed[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const q = `name=${encodeURIComponent(name)}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await call(targets()[page % 2], 'GET', `/v1/projects?${q}`, auth);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    all.push(...res.body.data);
    if (!res.body.meta.has_more) return all;
    cursor = res.body.meta.next_cursor;
  }
  throw new Error('the listing does not end');
}
