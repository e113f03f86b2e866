import { randomBytes } from 'node:crypto';

// Crockford base32: sortable, case-insensitive, no ambiguous letters (ULID alphabet).
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

let lastTime = 0;
let lastRandom = Buffer.alloc(10);

function encode(value: bigint, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

/**
 * A prefixed ULID (`prj_01JD...`): opaque to clients, never sequential, and ordered by creation
 * time within this process (monotonic in the same millisecond), which keeps keyset pages stable.
 */
export function newId(prefix: string, now = Date.now()): string {
  if (now <= lastTime) {
    // Same millisecond (or clock went back): increment the random part to stay monotonic.
    for (let i = lastRandom.length - 1; i >= 0; i--) {
      lastRandom[i] = (lastRandom[i] + 1) & 0xff;
      if (lastRandom[i] !== 0) break;
    }
    now = lastTime;
  } else {
    lastTime = now;
    lastRandom = randomBytes(10);
  }
  const random = BigInt('0x' + lastRandom.toString('hex'));
  return `${prefix}_${encode(BigInt(now), 10)}${encode(random, 16)}`;
}
