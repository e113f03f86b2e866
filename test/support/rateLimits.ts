import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import supertest, { type Test } from 'supertest';
import type { Express } from 'express';
import type { TestApp } from '../helpers';

/** Sends all requests at once through one listening server; resolves with their statuses. */
export async function burst(app: Express, count: number, make: (http: ReturnType<typeof supertest>, i: number) => Test) {
  const server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const http = supertest(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const responses = await Promise.all(Array.from({ length: count }, (_, i) => make(http, i)));
    return responses.map((r) => r.status);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

/** How many of `statuses` are `status`. */
export const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

/** POST /v1/auth/login with a wrong password. */
export const wrongLogin = (t: TestApp, email: string) => t.http.post('/v1/auth/login').send({ email, password: 'not the password' });
