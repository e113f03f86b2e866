// Receiving webhooks: the Standard Webhooks signature checked with the endpoint's secret, and the
// payload typed from the contract's `webhooks:` map.
import { Webhook } from 'standardwebhooks';
import { BRAND, BrandedError } from './errors.js';
import type { WebhookEvent } from './types.js';

const WEBHOOK_VERIFICATION_ERROR = Symbol.for('@cloud-api/sdk.WebhookVerificationError');

/** The delivery is not one Cloud API signed with this secret (or it is over 5 minutes old). */
export class WebhookVerificationError extends BrandedError {
  static readonly [BRAND] = WEBHOOK_VERIFICATION_ERROR;
  readonly [WEBHOOK_VERIFICATION_ERROR] = true;
  override readonly name = 'WebhookVerificationError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Request headers as Node (`req.headers`), fetch (`Headers`) or a plain object hold them. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

const SIGNED_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

function signedHeaders(headers: WebhookHeaders): Record<string, string> {
  const get = (name: string): string | undefined => {
    if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
    const record = headers as Record<string, string | string[] | undefined>;
    const key = Object.keys(record).find((k) => k.toLowerCase() === name);
    const value = key === undefined ? undefined : record[key];
    return Array.isArray(value) ? value.join(' ') : value;
  };
  const out: Record<string, string> = {};
  for (const name of SIGNED_HEADERS) {
    const value = get(name);
    if (value === undefined) throw new WebhookVerificationError(`The ${name} header is missing.`);
    out[name] = value;
  }
  return out;
}

/**
 * Verifies a delivery and returns its event, typed by `type` from the contract's `webhooks:` map.
 * `payload` is the raw body, exactly as received (parse it only through this function): any change,
 * even in whitespace, breaks the signature. `secret` is the endpoint's `whsec_...` secret; during a
 * rotation either secret verifies, as the delivery carries both signatures.
 * Throws WebhookVerificationError for a bad or missing signature or a timestamp over 5 minutes off.
 * Events of types newer than this SDK also verify: keep a default branch when switching on `type`.
 */
export function verifyWebhook(payload: string | Uint8Array, headers: WebhookHeaders, secret: string): WebhookEvent {
  const body = typeof payload === 'string' ? payload : new TextDecoder().decode(payload);
  let event: unknown;
  try {
    event = new Webhook(secret).verify(body, signedHeaders(headers));
  } catch (err) {
    if (err instanceof WebhookVerificationError) throw err;
    throw new WebhookVerificationError(`The webhook could not be verified: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (typeof event !== 'object' || event === null || typeof (event as { type?: unknown }).type !== 'string') {
    throw new WebhookVerificationError('The webhook payload is not an event.');
  }
  return event as WebhookEvent;
}
