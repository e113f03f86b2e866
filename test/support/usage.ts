import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import type { TestApp } from '../helpers';

const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

/** The UTC date `days` after the (fake) current one, `YYYY-MM-DD`. */
export const day = (days = 0) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
/** The start of minute `minute` (minutes since the epoch), as an ISO instant. */
export const minuteIso = (minute: number) => new Date(minute * MINUTE_MS).toISOString();

/** A credential: the header and its value. */
export type Auth = { header: string; value: string };
export const bearer = (auth: string): Auth => ({ header: 'Authorization', value: auth });
export const apiKey = (key: string): Auth => ({ header: 'x-api-key', value: key });

/** GET /v1/usage with `query`, as `auth`. */
export async function usage(t: TestApp, auth: Auth, query: Record<string, string>): Promise<Response> {
  return await t.http.get('/v1/usage').query(query).set(auth.header, auth.value);
}

/** GET /v1/usage, asserting 200; returns `data`. */
export async function usageData(t: TestApp, auth: Auth, query: Record<string, string>) {
  const res = await usage(t, auth, query);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data;
}
