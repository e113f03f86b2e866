import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * A key for one purpose, derived from the deployment's pepper: each label (and scope) gets its
 * own key, so a sealed value of one kind can never be opened as another.
 */
export function deriveKey(pepper: Buffer, label: string, scope = ''): Buffer {
  return createHmac('sha256', pepper).update(`${label}\0${scope}`).digest();
}

/** AES-256-GCM: iv (12 bytes), tag (16 bytes), ciphertext. */
export function seal(key: Buffer, text: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), data]);
}

/** Throws when `sealed` was not sealed with `key` or was altered. */
export function unseal(key: Buffer, sealed: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
}
