import { randomBytes } from 'node:crypto';
import { deriveKey, seal, unseal } from '../sealing';

export interface WebhookSecrets {
  /** A new signing secret (`whsec_` and base64 of 32 random bytes, shown once) and its sealed form (stored). */
  generate(): { secret: string; sealed: Buffer };
  /** The secret in clear, for signing; throws when `sealed` was not sealed with this pepper. */
  open(sealed: Buffer): string;
}

/** Secrets are stored sealed, so a copy of the database alone cannot forge deliveries. */
export function createWebhookSecrets(pepper: Buffer): WebhookSecrets {
  const key = deriveKey(pepper, 'webhook-secret');
  return {
    generate() {
      const secret = `whsec_${randomBytes(32).toString('base64')}`;
      return { secret, sealed: seal(key, secret) };
    },
    open: (sealed) => unseal(key, sealed),
  };
}
