import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request, Response } from 'express';
import request from 'supertest';
import { makeTestApp, type TestApp } from '../helpers';
import { createServer } from '../../src/http/server';
import { requestEntry, type EntryParts } from '../../src/pipeline/entry';
import { createLogger } from '../../src/logger';

// src/http/dispatch.ts: requests go from the app straight to the request entry, and the service's
// own server creates them with the app's prototypes.
describe('dispatch: the app hands every request to the request entry (src/http/dispatch.ts)', () => {
  let t: TestApp;
  let server: Server;
  let base: string;

  beforeEach(async () => {
    t = makeTestApp();
    server = createServer(t.app, [], undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => new Promise((resolve) => server.close(resolve)));

  /** How many requests or responses `run` made Object.setPrototypeOf change. */
  async function reprototyped(run: () => Promise<void>): Promise<number> {
    const original = Object.setPrototypeOf;
    let count = 0;
    Object.setPrototypeOf = (o: unknown, proto: object | null) => {
      if (o instanceof IncomingMessage || o instanceof ServerResponse) count++;
      return original(o, proto);
    };
    try {
      await run();
    } finally {
      Object.setPrototypeOf = original;
    }
    return count;
  }

  it('getMe: on the service\'s server, requests and responses are born with Express\'s methods: no Object.setPrototypeOf per request', async () => {
    const changed = await reprototyped(async () => {
      const api = await fetch(`${base}/v1/me`);
      assert.equal(api.status, 401);
      assert.equal(((await api.json()) as { error: { code: string } }).error.code, 'unauthenticated');
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
    });
    assert.equal(changed, 0);
  });

  it('getMe: on a plain Node server (supertest\'s), the app gives them Express\'s methods itself', async () => {
    const changed = await reprototyped(async () => {
      const res = await request(t.app).get('/v1/me');
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'unauthenticated');
    });
    assert.equal(changed, 2);
  });
});

describe('requestEntry (src/pipeline/entry.ts)', () => {
  it('answers a synchronous throw inside it with the envelope: nothing below it would', () => {
    const answered: unknown[] = [];
    const parts = {
      site: () => undefined,
      isApi: () => {
        throw new Error('a bug');
      },
      match: () => undefined,
      pipelines: new Map(),
      sender: { error: (_ctx: unknown, err: unknown) => answered.push(err) },
      logger: createLogger('warn', () => undefined),
      fixedHeaders: [],
    } as unknown as EntryParts;
    const headers: Record<string, string> = {};
    const res = { setHeader: (name: string, value: string) => (headers[name] = value) } as unknown as Response;
    requestEntry(parts)({ headers: {}, path: '/v1/me', method: 'GET' } as Request, res);
    assert.equal(answered.length, 1);
    assert.equal((answered[0] as Error).message, 'a bug');
    assert.ok(headers['X-Request-Id'], 'the request has its id before anything else runs');
  });
});
