import { randomFillSync } from 'node:crypto';

// Crockford base32: sortable, case-insensitive, no ambiguous letters (ULID alphabet).
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

// Random bytes (CSPRNG) are drawn in blocks: a crypto call per id was a visible cost per request.
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;

function fillRandom(target: Uint8Array): void {
  if (poolOffset + target.length > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  pool.copy(target, 0, poolOffset, poolOffset + target.length);
  poolOffset += target.length;
}

let lastTime = 0;
const lastRandom = new Uint8Array(10);

/** `value` (an integer below 2^53) as `length` base32 characters, most significant first. */
function base32(value: number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = ALPHABET[value % 32] + out;
    value = Math.floor(value / 32);
  }
  return out;
}

/** 80 random bits as 16 characters: two 40-bit halves, each exact in a double. */
function encodeRandom(bytes: Uint8Array): string {
  let out = '';
  for (const offset of [0, 5]) {
    let v = 0;
    for (let i = 0; i < 5; i++) v = v * 256 + bytes[offset + i];
    out += base32(v, 8);
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
    fillRandom(lastRandom);
  }
  return `${prefix}_${base32(now, 10)}${encodeRandom(lastRandom)}`;
}
