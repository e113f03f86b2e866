import { Webhook } from 'standardwebhooks';

export interface SignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * The Standard Webhooks headers for one attempt. Every secret signs (after a rotation, the new one
 * and the previous one), space-separated, so a receiver holding either verifies the delivery.
 * `msgId` is the event id: the same on every retry, what receivers deduplicate by.
 */
export function signatureHeaders(msgId: string, at: Date, payload: string, secrets: string[]): SignatureHeaders {
  if (secrets.length === 0) throw new Error('a delivery needs at least one secret');
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(msgId, at, payload)).join(' '),
  };
}
