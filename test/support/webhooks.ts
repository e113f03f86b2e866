import assert from 'node:assert/strict';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { TestApp } from '../helpers';
import type { Cred } from './apiKeys';
import { loadSpec } from '../../src/contract/document';
import { strictContract } from '../../src/contract/strict';

/** Webhook tests create endpoints on loopback receivers: private addresses allowed. */
export const WEBHOOK_ENV = { WEBHOOK_ALLOW_PRIVATE: 'true' };
export const RECEIVER_URL = 'http://127.0.0.1:9/hooks';
export const ENDPOINT_ID = /^whe_[0-9A-HJKMNP-TV-Z]{26}$/;
export const SECRET = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;
export const UNKNOWN_ENDPOINT_ID = 'whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V';

/** POST /v1/webhook-endpoints, asserting 201; returns `data` (with the secret). */
export async function createEndpointHttp(t: TestApp, cred: Cred, body: Record<string, unknown> = {}) {
  const res = await t.http
    .post('/v1/webhook-endpoints')
    .set(cred)
    .send({ url: RECEIVER_URL, enabled_events: ['*'], ...body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data as { id: string; secret: string; url: string; enabled_events: string[]; status: string };
}

let validators: Map<string, ValidateFunction> | undefined;

/**
 * Checks an event against the strict form of its entry in the contract's `webhooks:` map (what a
 * receiver is promised), and returns it.
 */
export function assertEventPayload(event: { type: string }): void {
  if (!validators) {
    const doc = strictContract(loadSpec()) as unknown as { webhooks: Record<string, unknown> };
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats(ajv);
    ajv.addSchema(doc, 'contract.json');
    validators = new Map(
      Object.keys(doc.webhooks).map((type) => [
        type,
        ajv.compile({ $ref: `contract.json#/webhooks/${type}/post/requestBody/content/application~1json/schema` }),
      ]),
    );
  }
  const validate = validators.get(event.type);
  assert.ok(validate, `event type ${event.type} is not in the webhooks: map`);
  assert.ok(validate(event), `${event.type} payload: ${JSON.stringify(validate.errors)}`);
}

/** The workspace's events, newest first (GET /v1/events), each checked against the webhooks: map. */
export async function eventsOf(t: TestApp, cred: Cred, query = ''): Promise<any[]> {
  const res = await t.http.get(`/v1/events${query}`).set(cred);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  for (const e of res.body.data) assertEventPayload(e);
  return res.body.data;
}
