import { createHmac, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;

/**
 * `cp_live_` (or `cp_test_`), 32 random base62 characters (190 bits), then a 6-character base62
 * CRC32 of everything before it. The fixed prefix and the checksum let secret scanners find leaked
 * keys with few false positives, and let us refuse a mistyped key before touching the database.
 */
export const API_KEY_PATTERN = /^cp_(live|test)_[0-9A-Za-z]{32}[0-9A-Za-z]{6}$/;

function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 * 62: rejecting larger bytes keeps every character equally likely.
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

function checksum(body: string): string {
  let n = crc32(body);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

export function generateApiKey(environment: 'live' | 'test' = 'live'): string {
  const body = `cp_${environment}_${randomBase62(RANDOM_LENGTH)}`;
  return body + checksum(body);
}

/** Format and checksum only: no lookup, no secret involved, so no timing concern. */
export function isWellFormedApiKey(key: string): boolean {
  if (!API_KEY_PATTERN.test(key)) return false;
  const cut = key.length - CHECKSUM_LENGTH;
  return checksum(key.slice(0, cut)) === key.slice(cut);
}

/** What listings show: the prefix with the first four random characters, and the last four. */
export function displayParts(key: string): { prefix: string; last4: string } {
  return { prefix: key.slice(0, 12), last4: key.slice(-4) };
}

/** Peppered SHA-256 (HMAC): a stolen database alone does not let anyone test guesses. */
export function hashApiKey(key: string, pepper: Buffer): Buffer {
  return createHmac('sha256', pepper).update(key).digest();
}
